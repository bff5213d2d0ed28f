//! Entry point of the site's WebAssembly binary.

fn main() {
    brownout_web::start();
}
