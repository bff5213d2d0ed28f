//! Routes live in the URL's hash (`#/articles/round-robin?w0.seed=3`), so the
//! built site works from any static host, under any sub-path, and on reload
//! of any page: the server only ever serves `index.html`.

/// A page of the site.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    /// The list of articles.
    Home,
    /// An article, scrolled to `section` (a heading id) when given.
    Article {
        /// File stem of the article.
        slug: String,
        /// Heading id to scroll to.
        section: Option<String>,
    },
    /// One widget of an article, without the site's chrome, for iframes.
    Embed {
        /// File stem of the article.
        slug: String,
        /// Index of the widget in the article, from 0.
        widget: usize,
    },
    /// The playground: any scenario, edited, run, shared (`?s=`).
    Playground,
    /// A playground scenario alone, for iframes (`?s=`).
    EmbedPlayground,
    /// Anything else: the path that was asked for.
    NotFound(String),
}

/// A route and its query parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Location {
    /// The page.
    pub(crate) route: Route,
    /// Query parameters in order, decoded.
    pub(crate) query: Vec<(String, String)>,
}

/// Reads a URL hash (with or without its leading `#`).
pub(crate) fn parse_hash(hash: &str) -> Location {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
    let query = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let route = match parts.as_slice() {
        [] => Route::Home,
        ["articles", slug] => Route::Article {
            slug: (*slug).to_string(),
            section: None,
        },
        ["articles", slug, section] => Route::Article {
            slug: (*slug).to_string(),
            section: Some((*section).to_string()),
        },
        ["playground"] => Route::Playground,
        ["embed", "playground"] => Route::EmbedPlayground,
        ["embed", slug, index] => match index.parse() {
            Ok(widget) => Route::Embed {
                slug: (*slug).to_string(),
                widget,
            },
            Err(_) => Route::NotFound(path.to_string()),
        },
        _ => Route::NotFound(path.to_string()),
    };
    Location { route, query }
}

/// The hash (with `#`) of a route and query.
pub(crate) fn href(route: &Route, query: &[(String, String)]) -> String {
    let path = match route {
        Route::Home => "/".to_string(),
        Route::Article {
            slug,
            section: None,
        } => format!("/articles/{slug}"),
        Route::Article {
            slug,
            section: Some(s),
        } => format!("/articles/{slug}/{s}"),
        Route::Embed { slug, widget } => format!("/embed/{slug}/{widget}"),
        Route::Playground => "/playground".to_string(),
        Route::EmbedPlayground => "/embed/playground".to_string(),
        Route::NotFound(p) => format!("/{}", p.trim_start_matches('/')),
    };
    if query.is_empty() {
        format!("#{path}")
    } else {
        let q = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        format!("#{path}?{q}")
    }
}

/// The query pairs of widget `index` on an article page (`w0.seed=3` gives
/// `seed=3` for widget 0).
pub(crate) fn widget_query(query: &[(String, String)], index: usize) -> Vec<(String, String)> {
    let prefix = format!("w{index}.");
    query
        .iter()
        .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|k| (k.to_string(), v.clone())))
        .collect()
}

/// Query keys on an article page that belong to no widget.
pub(crate) fn stray_keys(query: &[(String, String)], widgets: usize) -> Vec<String> {
    query
        .iter()
        .filter(|(k, _)| {
            k.strip_prefix('w')
                .and_then(|rest| rest.split_once('.'))
                .and_then(|(n, _)| n.parse::<usize>().ok())
                .is_none_or(|n| n >= widgets)
        })
        .map(|(k, _)| k.chars().take(40).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn routes_round_trip_through_the_hash() {
        for route in [
            Route::Home,
            Route::Article {
                slug: "round-robin".into(),
                section: None,
            },
            Route::Article {
                slug: "round-robin".into(),
                section: Some("weights".into()),
            },
            Route::Embed {
                slug: "round-robin".into(),
                widget: 2,
            },
            Route::Playground,
            Route::EmbedPlayground,
        ] {
            let query = q(&[("w0.traffic.rate_rps", "80"), ("x", "a b&c")]);
            assert_eq!(parse_hash(&href(&route, &query)), Location { route, query });
        }
    }

    #[test]
    fn unknown_paths_are_not_found_and_empty_is_home() {
        assert_eq!(parse_hash("").route, Route::Home);
        assert_eq!(parse_hash("#/").route, Route::Home);
        assert_eq!(
            parse_hash("#/nope/x").route,
            Route::NotFound("/nope/x".into())
        );
        assert_eq!(
            parse_hash("#/embed/a/b").route,
            Route::NotFound("/embed/a/b".into())
        );
    }

    #[test]
    fn widget_parameters_are_split_by_prefix() {
        let query = q(&[
            ("w0.seed", "3"),
            ("w1.seed", "4"),
            ("w12.seed", "5"),
            ("zzz", "1"),
        ]);
        assert_eq!(widget_query(&query, 1), q(&[("seed", "4")]));
        assert_eq!(
            stray_keys(&query, 2),
            vec!["w12.seed".to_string(), "zzz".to_string()]
        );
    }
}
