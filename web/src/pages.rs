//! One component per route.

mod article;
mod embed;
mod embed_playground;
mod home;
mod not_found;
mod playground;

pub(crate) use article::ArticlePage;
pub(crate) use embed::EmbedPage;
pub(crate) use embed_playground::EmbedPlaygroundPage;
pub(crate) use home::HomePage;
pub(crate) use not_found::NotFoundPage;
pub(crate) use playground::PlaygroundPage;
