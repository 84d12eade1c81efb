//! Escaping for the few places that build markup as a string (SVG charts set with `inner_html`)
//! and checks for URLs that come from data or the address bar. Everything else goes through
//! Leptos views, which set text and attributes through the DOM and need no escaping.
//!
//! Audit of every `inner_html` in `src/` (see docs/security.md):
//! * chart SVGs from plotters' SVG backend: plotters escapes `< > & " '` in text and attribute
//!   values itself (proved by `crates/replay/tests/escape.rs`, which draws payload labels);
//! * the hit regions `chart::render` appends (`data-tip`, `aria-label`, `data-drill`) and the
//!   `<title>`s `chart::for_export` makes of them: escaped by its own `esc` (the same as
//!   [`html`] minus the apostrophe, which is safe inside double-quoted attributes);
//! * sparklines: numbers only.
//!
//! This file has no dependency, so the native test can include it with `#[path]`.

/// Escapes `& < > " '` for text content or a double- or single-quoted attribute value.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// True when `url` is safe as a link target: relative, `http:`, `https:` or `mailto:`.
/// `javascript:`, `data:`, `vbscript:` and any other scheme (also with leading blanks, control
/// characters or mixed case, which browsers ignore) are refused.
pub fn safe_href(url: &str) -> bool {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match cleaned.find(':') {
        None => true,
        Some(i) => {
            let scheme = &cleaned[..i];
            // A colon after a path, query or fragment start is not a scheme.
            if scheme.contains(['/', '?', '#']) {
                return true;
            }
            matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

/// The origin (`scheme://host[:port]`) of an absolute `http(s)` URL, lower-cased; `None` for
/// anything else (relative URLs, other schemes, user-info tricks like `http://a@b`).
pub fn origin_of(url: &str) -> Option<String> {
    let t = url.trim();
    let lower = t.to_ascii_lowercase();
    let (scheme, rest) = if let Some(r) = lower.strip_prefix("https://") {
        ("https", r)
    } else if let Some(r) = lower.strip_prefix("http://") {
        ("http", r)
    } else {
        return None;
    };
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    Some(format!("{scheme}://{authority}"))
}

/// True when a dataset or a message from `url_or_origin` may be used: it is relative (same
/// origin), or its origin is `page_origin`, or it is listed in `allowed` (exact origins like
/// `https://portal.example.com`; a trailing slash is ignored). Protocol-relative URLs
/// (`//host/x`) count as absolute.
pub fn origin_allowed(url_or_origin: &str, page_origin: &str, allowed: &[String]) -> bool {
    let t = url_or_origin.trim();
    let is_relative =
        !t.contains(':') && !t.starts_with("//") && !t.starts_with("\\\\") && !t.starts_with("/\\");
    if is_relative {
        return true;
    }
    let abs = if t.starts_with("//") {
        let scheme = page_origin.split("//").next().unwrap_or("https:");
        format!("{scheme}{t}")
    } else {
        t.to_string()
    };
    let Some(origin) = origin_of(&abs) else {
        return false;
    };
    let norm =
        |o: &str| origin_of(o).unwrap_or_else(|| o.trim_end_matches('/').to_ascii_lowercase());
    origin == norm(page_origin) || allowed.iter().any(|a| norm(a) == origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup() {
        assert_eq!(
            html(r#""><script>alert('x')</script>&"#),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"
        );
    }

    #[test]
    fn hrefs_and_origins() {
        assert!(safe_href("https://x.test/a") && safe_href("data/demo.csv") && safe_href("/a:b"));
        for bad in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert!(!safe_href(bad), "{bad}");
        }
        let allowed = vec!["https://portal.example.com/".to_string()];
        let page = "http://127.0.0.1:8080";
        assert!(origin_allowed("data/x.csv", page, &allowed));
        assert!(origin_allowed(
            "http://127.0.0.1:8080/data/x.csv",
            page,
            &allowed
        ));
        assert!(origin_allowed(
            "https://portal.example.com/feed.csv",
            page,
            &allowed
        ));
        assert!(origin_allowed(
            "https://PORTAL.example.com:443/feed.csv",
            page,
            &allowed
        ));
        for bad in [
            "https://evil.test/x.csv",
            "//evil.test/x.csv",
            "https://portal.example.com@evil.test/x.csv",
            "https://portal.example.com.evil.test/x.csv",
            "javascript:alert(1)",
            "http://127.0.0.1:8081/x.csv",
        ] {
            assert!(!origin_allowed(bad, page, &allowed), "{bad}");
        }
    }
}
