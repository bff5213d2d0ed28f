//! One component per route.

mod article;
mod embed;
mod home;
mod not_found;

pub use article::ArticlePage;
pub use embed::EmbedPage;
pub use home::HomePage;
pub use not_found::NotFoundPage;
