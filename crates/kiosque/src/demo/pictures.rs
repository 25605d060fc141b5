//! Pictures for the demo site, drawn by the program: a sky, a sun, layered hills and,
//! for some seeds, a skyline. Each seed gives its own composition and palette, so the
//! demo looks like a photo desk's output without shipping a single third-party image.

use image::{Rgb, RgbImage};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 675;

/// A small deterministic generator (xorshift64*), enough for compositions.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        ((self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 40) as f32) / (1u64 << 24) as f32
    }
    fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * self.next()
    }
}

fn hsl(h: f32, s: f32, l: f32) -> [f32; 3] {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = (h.rem_euclid(360.0)) / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    [r + m, g + m, b + m]
}

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

fn to_rgb(c: [f32; 3]) -> Rgb<u8> {
    Rgb(c.map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8))
}

/// A ridge line: a few sine waves, as a height (0 = top) for each column.
struct Ridge {
    base: f32,
    waves: Vec<(f32, f32, f32)>,
    colour: [f32; 3],
}

impl Ridge {
    fn height_at(&self, x: f32) -> f32 {
        self.base
            + self
                .waves
                .iter()
                .map(|(amp, freq, phase)| amp * (x * freq + phase).sin())
                .sum::<f32>()
    }
}

/// Draws the picture for `seed` at `width` × `height`.
pub fn draw(seed: u64, width: u32, height: u32) -> RgbImage {
    let mut rng = Rng::new(seed);
    let (w, h) = (width as f32, height as f32);
    let hue = rng.range(0.0, 360.0);
    let dusk = rng.next() < 0.4;
    let sky_top = if dusk {
        hsl(hue + 220.0, 0.45, 0.22)
    } else {
        hsl(hue + 200.0, 0.55, 0.55)
    };
    let sky_low = if dusk {
        hsl(hue + 20.0, 0.75, 0.62)
    } else {
        hsl(hue + 180.0, 0.35, 0.86)
    };
    let sun = (
        rng.range(0.15, 0.85) * w,
        rng.range(0.18, 0.45) * h,
        rng.range(0.05, 0.11) * h,
    );
    let sun_colour = if dusk {
        hsl(hue + 35.0, 0.95, 0.7)
    } else {
        [1.0, 0.97, 0.88]
    };

    let layers = 3 + (rng.next() * 2.0) as usize;
    let ridges: Vec<Ridge> = (0..layers)
        .map(|i| {
            let depth = i as f32 / (layers - 1) as f32;
            let waves = (0..3)
                .map(|k| {
                    let amp = rng.range(0.02, 0.07) * h / (k as f32 + 1.0);
                    (
                        amp,
                        rng.range(0.002, 0.012) * (k as f32 + 1.0),
                        rng.range(0.0, std::f32::consts::TAU),
                    )
                })
                .collect();
            Ridge {
                base: h * (0.5 + 0.14 * i as f32),
                waves,
                colour: mix(
                    mix(sky_low, hsl(hue + 140.0, 0.35, 0.35), 0.55),
                    hsl(hue + 160.0, 0.4, 0.1),
                    depth,
                ),
            }
        })
        .collect();

    let skyline = rng.next() < 0.35;
    let mut towers = Vec::new();
    if skyline {
        let mut x = 0.0;
        while x < w {
            let tw = rng.range(0.03, 0.08) * w;
            towers.push((x, x + tw, h * rng.range(0.38, 0.62)));
            x += tw + rng.range(0.0, 0.01) * w;
        }
    }
    let tower_colour = hsl(hue + 210.0, 0.25, if dusk { 0.16 } else { 0.3 });
    let skyline_layer = layers / 2;

    RgbImage::from_fn(width, height, |px, py| {
        let (x, y) = (px as f32, py as f32);
        let t = (y / (h * 0.7)).min(1.0);
        let mut colour = mix(sky_top, sky_low, t);
        let d = ((x - sun.0).powi(2) + (y - sun.1).powi(2)).sqrt();
        if d < sun.2 {
            colour = sun_colour;
        } else if d < sun.2 * 3.0 {
            let glow = 1.0 - (d - sun.2) / (sun.2 * 2.0);
            colour = mix(colour, sun_colour, glow * glow * 0.45);
        }
        for (i, ridge) in ridges.iter().enumerate() {
            if skyline && i == skyline_layer {
                for &(x0, x1, top) in &towers {
                    if x >= x0 && x < x1 && y >= top {
                        colour = tower_colour;
                    }
                }
            }
            if y >= ridge.height_at(x) {
                colour = ridge.colour;
            }
        }
        to_rgb(colour)
    })
}

/// The picture for `seed` as JPEG bytes.
pub fn jpeg(seed: u64) -> Result<Vec<u8>, image::ImageError> {
    let img = draw(seed, WIDTH, HEIGHT);
    let mut out = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 86).encode_image(&img)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_are_deterministic_and_differ_by_seed() {
        let a = draw(3, 120, 68);
        assert_eq!(a, draw(3, 120, 68));
        assert_ne!(a, draw(4, 120, 68));
        assert_eq!(a.dimensions(), (120, 68));
    }

    #[test]
    fn pictures_are_not_flat() {
        let img = draw(7, 120, 68);
        let top = img.get_pixel(60, 2);
        let bottom = img.get_pixel(60, 66);
        assert_ne!(top, bottom, "sky and ground must differ");
    }
}
