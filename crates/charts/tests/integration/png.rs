//! PNG output decodes, has the requested size, and is not blank.

use brownout_charts::{ChartData, ChartKind, ChartOptions, Theme, png};

use crate::tiny;

#[test]
fn every_chart_is_a_png_of_the_requested_size() {
    let run = tiny("round_robin");
    for chart in ChartKind::ALL {
        let bytes = png(
            chart,
            &ChartData::single(&run, ""),
            &ChartOptions::default(),
            640,
            320,
        )
        .expect("draws");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoder = ::png::Decoder::new(bytes.as_slice());
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut pixels = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut pixels).expect("a PNG frame");
        assert_eq!((info.width, info.height), (640, 320));
        let white = pixels.iter().filter(|b| **b == 255).count();
        assert!(white < pixels.len(), "{}: something is drawn", chart.name());
        assert!(
            white > pixels.len() / 2,
            "{}: on a white background",
            chart.name()
        );
    }
}

#[test]
fn a_dark_png_is_mostly_dark() {
    let run = tiny("round_robin");
    let opts = ChartOptions {
        theme: Theme::Dark,
        scale: 2.0,
        cursor_s: None,
    };
    let bytes = png(
        ChartKind::Queues,
        &ChartData::single(&run, ""),
        &opts,
        750,
        600,
    )
    .expect("draws");
    let mut reader = ::png::Decoder::new(bytes.as_slice())
        .read_info()
        .expect("a PNG header");
    let mut pixels = vec![0; reader.output_buffer_size()];
    reader.next_frame(&mut pixels).expect("a PNG frame");
    let dark = pixels.iter().filter(|b| **b < 40).count();
    assert!(dark > pixels.len() / 2);
}
