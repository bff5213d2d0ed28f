//! Entry point of the sweep map's Web Worker (Trunk builds it with
//! `data-type="worker"`; see `sweep.rs`). Natively it does nothing.

fn main() {
    #[cfg(target_arch = "wasm32")]
    brownout_web::start_sweep_worker();
}
