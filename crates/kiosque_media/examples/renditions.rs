//! Time to make every rendition of one picture (`bench/renditions.sh`): a camera
//! JPEG of each size is decoded, re-encoded and cut into its renditions and crops,
//! as an upload is.

fn photo(width: u32, height: u32) -> Vec<u8> {
    // A smooth picture with detail, so that encoders do real work.
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let (fx, fy) = (
            f64::from(x) / f64::from(width),
            f64::from(y) / f64::from(height),
        );
        let wave = ((fx * 40.0).sin() * (fy * 30.0).cos() * 60.0) as i32;
        image::Rgb([
            (120 + wave).clamp(0, 255) as u8,
            (90 + (fy * 120.0) as i32).clamp(0, 255) as u8,
            (160 - wave / 2).clamp(0, 255) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap_or_else(|e| panic!("encoding the test photo: {e}"));
    out.into_inner()
}

fn main() {
    println!("| picture | renditions | total bytes | time (median of 5) |");
    println!("|---|---|---|---|");
    for (width, height) in [(1600, 900), (4000, 3000), (6000, 4000)] {
        let bytes = photo(width, height);
        let mut times = Vec::new();
        let mut made = Vec::new();
        for _ in 0..5 {
            let started = std::time::Instant::now();
            made = kiosque_media::prepare_only(bytes.clone())
                .unwrap_or_else(|e| panic!("preparing {width}×{height}: {e}"));
            times.push(started.elapsed());
        }
        times.sort();
        let total: usize = made.iter().map(|(_, n)| n).sum();
        println!(
            "| {width}×{height} JPEG ({} kB) | {} | {} kB | {:.0} ms |",
            bytes.len() / 1024,
            made.len() - 1,
            total / 1024,
            times[2].as_secs_f64() * 1000.0
        );
    }
}
