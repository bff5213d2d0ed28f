//! One component per route.

mod article;
mod embed;
mod home;
mod not_found;

pub(crate) use article::ArticlePage;
pub(crate) use embed::EmbedPage;
pub(crate) use home::HomePage;
pub(crate) use not_found::NotFoundPage;
