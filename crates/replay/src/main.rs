//! `omnikpi-replay`: serves the dashboard and a live feed replaying a dataset. See `--help`.

use omnikpi_replay::{Options, Server};
use std::net::SocketAddr;
use std::time::Duration;

const HELP: &str = "omnikpi-replay: serves dist/ under the strict CSP, the dataset, and a live feed
(api/stream: server-sent events; api/contacts?since=N: polling) replaying the dataset's contacts
in accelerated real time, contacts in progress included.

usage: omnikpi-replay [options]
  --dist DIR        the built app (default: dist)
  --data FILE       the dataset to replay (default: public/data/demo.csv)
  --addr ADDR       address to bind (default: 127.0.0.1)
  --port PORT       port (default: 8080; 0: any free one)
  --base PATH       sub-path the app is served under, like /omnikpi/ (default: /)
  --speed X         simulated seconds per real second (default: 60)
  --tick-ms MS      stream flush interval (default: 250)
  --loop            repeat the dataset without end (ids suffixed ~lap)
  --backlog N       changes sent to a client without a cursor (default: 2000)
  --mode MODE       live mode written into the served config.json: sse, poll or static
                    (static: dist's config.json unchanged; default: sse)
  --interval S      poll interval written into config.json (default: 5)
  --start UNIX      data time the replay starts at (default: the first contact)
  --faults          serve test fault endpoints (api/fault/big?mb=N)";

fn main() {
    let mut o = Options::default();
    let mut addr = "127.0.0.1".to_string();
    let mut port = 8080u16;
    let mut args = std::env::args().skip(1);
    let fail = |m: String| -> ! {
        eprintln!("omnikpi-replay: {m}\n\n{HELP}");
        std::process::exit(2)
    };
    while let Some(a) = args.next() {
        let mut val = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(format!("{name} needs a value")))
        };
        match a.as_str() {
            "--help" | "-h" => {
                println!("{HELP}");
                return;
            }
            "--dist" => o.dist = val("--dist").into(),
            "--data" => o.data = val("--data").into(),
            "--addr" => addr = val("--addr"),
            "--port" => {
                port = val("--port")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --port".into()))
            }
            "--base" => o.base = val("--base"),
            "--speed" => {
                o.speed = val("--speed")
                    .parse()
                    .ok()
                    .filter(|s: &f64| *s > 0.0)
                    .unwrap_or_else(|| fail("bad --speed".into()))
            }
            "--tick-ms" => {
                o.tick = Duration::from_millis(
                    val("--tick-ms")
                        .parse()
                        .unwrap_or_else(|_| fail("bad --tick-ms".into())),
                )
            }
            "--loop" => o.looping = true,
            "--faults" => o.faults = true,
            "--backlog" => {
                o.backlog = val("--backlog")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --backlog".into()))
            }
            "--mode" => {
                let m = val("--mode");
                o.config_mode = match m.as_str() {
                    "sse" | "poll" => Some(m),
                    "static" => None,
                    _ => fail(format!("unknown --mode {m}")),
                }
            }
            "--interval" => {
                o.poll_interval_s = val("--interval")
                    .parse()
                    .unwrap_or_else(|_| fail("bad --interval".into()))
            }
            "--start" => {
                o.start = Some(
                    val("--start")
                        .parse()
                        .unwrap_or_else(|_| fail("bad --start".into())),
                )
            }
            other => fail(format!("unknown option {other}")),
        }
    }
    o.addr = format!("{addr}:{port}")
        .parse::<SocketAddr>()
        .or_else(|_| format!("[{addr}]:{port}").parse())
        .unwrap_or_else(|_| fail(format!("bad address {addr}")));
    match Server::start(o) {
        Ok(s) => {
            println!("omnikpi replay at {}", s.url());
            s.wait();
        }
        Err(e) => {
            eprintln!("omnikpi-replay: {e}");
            std::process::exit(1);
        }
    }
}
