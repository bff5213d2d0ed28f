//! Entry point of the playground's Web Worker (Trunk builds it with
//! `data-type="worker"` and the `tools` feature; see `tools.rs`). Natively
//! it does nothing.

fn main() {
    #[cfg(target_arch = "wasm32")]
    brownout_web::start_tools_worker();
}
