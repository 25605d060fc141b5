-- Rights and framing of media: the copyright holder, and the focal point that
-- crops keep in frame (fractions of width and height from the top left).
ALTER TABLE media ADD COLUMN copyright TEXT NOT NULL DEFAULT '';
ALTER TABLE media ADD COLUMN focal_x DOUBLE PRECISION NOT NULL DEFAULT 0.5;
ALTER TABLE media ADD COLUMN focal_y DOUBLE PRECISION NOT NULL DEFAULT 0.5;
