//! The replay server over loopback: static files with the CSP and SPA fallback, a sub-path,
//! path traversal refused, the poll endpoint with cursor and ETag, and the SSE stream with
//! contacts in progress, resumption after `Last-Event-ID`, and dropping. Every test is bounded.

use omnikpi_engine::live::{contact_from_json, Batch, LiveSet, Window};
use omnikpi_replay::{Options, Server, CSP};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const DATA: &str = "id,channel,arrived_at,first_response_s,abandoned,handle_s,closed_at,resolved,team,topic
A1,voice,2026-09-01T08:00:00Z,30,false,120,2026-09-01T08:02:30Z,true,T1,billing
A2,chat,2026-09-01T08:00:10Z,,true,,,false,T1,billing
A3,email,2026-09-01T08:00:20Z,60,false,200,2026-09-01T08:04:40Z,true,T2,\"<img src=x onerror=alert(1)>\"
A4,voice,2026-09-01T08:01:00Z,,false,,,false,T2,refund
";

fn fixture(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("omnikpi-replay-{name}-{}", std::process::id()));
    let dist = dir.join("dist");
    std::fs::create_dir_all(dist.join("data")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::write(dist.join("config.json"), r#"{"currency":"USD"}"#).unwrap();
    std::fs::write(dist.join("app.js"), "export {}").unwrap();
    let data = dir.join("demo.csv");
    std::fs::write(&data, DATA).unwrap();
    (dist, data)
}

fn start(name: &str, f: impl FnOnce(&mut Options)) -> Server {
    let (dist, data) = fixture(name);
    let mut o = Options {
        addr: "127.0.0.1:0".parse().unwrap(),
        dist,
        data,
        speed: 60.0,
        tick: Duration::from_millis(50),
        ..Default::default()
    };
    f(&mut o);
    Server::start(o).unwrap()
}

/// A GET over loopback: (status, head, body).
fn get(s: &Server, path: &str, headers: &[(&str, &str)]) -> (u16, String, String) {
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nhost: x\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    c.write_all(req.as_bytes()).unwrap();
    let mut out = Vec::new();
    c.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_string())
}

/// Reads an SSE stream for at most `limit` or until `until` says stop: (event, id, data).
fn read_events(
    s: &Server,
    path: &str,
    headers: &[(&str, &str)],
    limit: Duration,
    until: impl Fn(&[(String, Option<u64>, String)]) -> bool,
) -> (String, Vec<(String, Option<u64>, String)>) {
    let mut c = TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nhost: x\r\naccept: text/event-stream\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    c.write_all(req.as_bytes()).unwrap();
    let started = Instant::now();
    let mut raw = Vec::new();
    let mut events = Vec::new();
    let mut head = String::new();
    let mut buf = [0u8; 8192];
    while started.elapsed() < limit {
        match c.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
        let text = String::from_utf8_lossy(&raw).to_string();
        if let Some((h, body)) = text.split_once("\r\n\r\n") {
            head = h.to_ascii_lowercase();
            events = body
                .split("\n\n")
                .filter(|b| b.contains("data: "))
                .filter(|b| text.contains(&format!("{b}\n\n")))
                .map(|b| {
                    let mut ev = ("message".to_string(), None, String::new());
                    for line in b.lines() {
                        if let Some(v) = line.strip_prefix("event: ") {
                            ev.0 = v.into();
                        } else if let Some(v) = line.strip_prefix("id: ") {
                            ev.1 = v.parse().ok();
                        } else if let Some(v) = line.strip_prefix("data: ") {
                            ev.2 = v.into();
                        }
                    }
                    ev
                })
                .collect();
            if until(&events) {
                break;
            }
        }
    }
    (head, events)
}

#[test]
fn static_files_carry_the_csp_with_spa_fallback_and_no_traversal() {
    let s = start("static", |_| {});
    let (st, head, body) = get(&s, "/", &[]);
    assert_eq!(st, 200);
    assert!(head.contains(&format!(
        "content-security-policy: {}",
        CSP.to_ascii_lowercase()
    )));
    assert!(
        CSP.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "no inline script"
    );
    assert!(body.contains("<title>app</title>"));
    let (st, head, _) = get(&s, "/app.js", &[]);
    assert_eq!(st, 200);
    assert!(head.contains("content-type: text/javascript"));
    let (st, _, body) = get(&s, "/some/route", &[]);
    assert_eq!((st, body.contains("app")), (200, true), "SPA fallback");
    assert_eq!(get(&s, "/missing.js", &[]).0, 404);
    assert_eq!(get(&s, "/../Cargo.toml", &[]).0, 403);
    assert_eq!(get(&s, "/%2e%2e/%2e%2e/etc/passwd", &[]).0, 403);
    let (st, _, body) = get(&s, "/config.json", &[]);
    assert_eq!(st, 200);
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["currency"], "USD", "dist's config is kept");
    assert_eq!(v["sources"][0]["mode"], "sse");
    assert_eq!(v["sources"][0]["url"], "api/stream");
    let (st, _, body) = get(&s, "/api/dataset", &[]);
    assert_eq!((st, body.as_str()), (200, DATA));
    s.stop();
}

#[test]
fn a_sub_path_serves_the_app_and_the_api_under_it_only() {
    let s = start("base", |o| o.base = "/omnikpi/".into());
    assert_eq!(get(&s, "/omnikpi/", &[]).0, 200);
    assert_eq!(get(&s, "/omnikpi", &[]).0, 200);
    assert_eq!(get(&s, "/omnikpi/overview", &[]).0, 200);
    assert_eq!(get(&s, "/omnikpi/api/contacts?since=0", &[]).0, 200);
    assert_eq!(get(&s, "/", &[]).0, 404);
    assert_eq!(get(&s, "/api/contacts", &[]).0, 404);
    s.stop();
}

#[test]
fn poll_returns_only_what_is_new_and_304_when_nothing_is() {
    // Everything has happened by the start (the last change is 08:04:40).
    let s = start("poll", |o| {
        o.start = Some(1_788_220_800 + 8 * 3600 + 600);
        o.speed = 1.0;
    });
    let (st, head, body) = get(&s, "/api/contacts?since=0", &[]);
    assert_eq!(st, 200);
    let b: Batch = serde_json::from_str(&body).unwrap();
    assert_eq!(b.contacts.len() as u64, b.cursor);
    assert!(b.cursor >= 7, "arrivals, answers and ends: {}", b.cursor);
    let etag = head
        .lines()
        .find_map(|l| l.strip_prefix("etag: "))
        .unwrap()
        .to_string();
    let since = format!("/api/contacts?since={}", b.cursor);
    let (st, _, body) = get(&s, &since, &[("If-None-Match", &etag)]);
    assert_eq!((st, body.as_str()), (304, ""));
    let (st, _, body) = get(&s, &since, &[]);
    let again: Batch = serde_json::from_str(&body).unwrap();
    assert_eq!((st, again.contacts.len()), (200, 0));
    // Merged by id, every contact counts once, in its final state.
    let mut set = LiveSet::new(Window::default());
    for v in b.contacts.iter().chain(b.contacts.iter()) {
        set.upsert(
            contact_from_json(v, &omnikpi_engine::config::Zone::UTC).unwrap(),
            None,
        );
    }
    assert_eq!(set.len(), 4);
    assert!(set.get("A1").unwrap().closed_at.is_some());
    assert!(
        set.get("A4").unwrap().first_response_s.is_none(),
        "still in progress"
    );
    s.stop();
}

#[test]
fn the_stream_sends_arrivals_then_updates_and_resumes_after_the_last_event_id() {
    // Data time runs 600× real time from 07:59:50: the 4:40 of changes take about half a second.
    let s = start("sse", |o| {
        o.start = Some(1_788_220_800 + 8 * 3600 - 10);
        o.speed = 600.0;
    });
    let contacts = |ev: &[(String, Option<u64>, String)]| {
        ev.iter()
            .filter(|e| e.0 == "contact")
            .map(|e| {
                (
                    e.1.unwrap(),
                    serde_json::from_str::<serde_json::Value>(&e.2).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let (head, ev) = read_events(
        &s,
        "/api/stream?since=0",
        &[],
        Duration::from_secs(10),
        |ev| ev.iter().filter(|e| e.0 == "contact").count() >= 9,
    );
    assert!(head.contains("content-type: text/event-stream"));
    assert!(head.contains("content-security-policy"));
    assert!(ev.iter().any(|e| e.0 == "clock"));
    let c = contacts(&ev);
    // A1 arrives, A2, A3, A1 answered, A4 (never answered), A2 abandons, A3 answered, A1 and
    // A3 close.
    assert_eq!(c.len(), 9, "{c:?}");
    let ids: Vec<u64> = c.iter().map(|x| x.0).collect();
    assert_eq!(
        ids,
        (1..=ids.len() as u64).collect::<Vec<_>>(),
        "numbered in order"
    );
    // A1 first arrives in progress, later answered and closed.
    let a1: Vec<&serde_json::Value> = c.iter().map(|x| &x.1).filter(|v| v["id"] == "A1").collect();
    assert!(a1.len() >= 2, "{a1:?}");
    assert!(a1[0].get("first_response_s").is_none() && a1[0].get("closed_at").is_none());
    assert!(a1.last().unwrap().get("closed_at").is_some());
    // Resume after event 3: nothing at or before 3 again.
    let (_, ev) = read_events(
        &s,
        "/api/stream",
        &[("Last-Event-ID", "3")],
        Duration::from_secs(5),
        |ev| ev.iter().filter(|e| e.0 == "contact").count() >= 3,
    );
    let c = contacts(&ev);
    assert!(
        !c.is_empty() && c.iter().all(|x| x.0 > 3),
        "{:?}",
        c.iter().map(|x| x.0).collect::<Vec<_>>()
    );
    assert_eq!(c[0].0, 4);
    s.stop();
}

#[test]
fn the_stream_drops_on_request_and_looping_makes_new_ids() {
    let s = start("drop", |o| {
        o.start = Some(1_788_220_800 + 8 * 3600 + 600);
        o.looping = true;
        o.speed = 86_400.0 * 4.0;
    });
    let started = Instant::now();
    let (_, ev) = read_events(
        &s,
        "/api/stream?since=0&drop_after=2",
        &[],
        Duration::from_secs(5),
        |_| false,
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the server closed the stream"
    );
    assert_eq!(ev.iter().filter(|e| e.0 == "contact").count(), 2);
    std::thread::sleep(Duration::from_millis(300));
    let (_, _, body) = get(&s, "/api/contacts?since=0", &[]);
    let b: Batch = serde_json::from_str(&body).unwrap();
    assert!(
        b.contacts
            .iter()
            .any(|v| v["id"].as_str().unwrap().contains('~')),
        "later laps"
    );
    s.stop();
}
