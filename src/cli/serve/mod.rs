//! `allot serve`: the committee room's live what-if page. A small synchronous HTTP server
//! (`tiny_http`, a few worker threads) over one scenario read once: the page and its script are
//! served from the binary (nothing from outside), and every what-if is one exact solve through
//! the same code as `allot solve`, `explain` and `report` (see `api.rs` and docs/serve.md).

mod api;

use super::LangArg;
use allot::Error;
use std::io::{Read, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `allot serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), or a folder holding one; the built-in Quzhou 2019 sample when omitted.
    scenario: Option<PathBuf>,
    /// Address to listen on (port 0: any free port). Loopback unless --public.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8765")]
    addr: String,
    /// Allow a non-loopback address: anyone who reaches it sees the what-ifs, which reveal
    /// unpublished decisions.
    #[arg(long)]
    public: bool,
    /// Language of the page: the scenario's `lang`, else the locale, else English when omitted
    /// (the page can switch).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
    /// Stop each solve after this many seconds and answer with the best portfolio found and its
    /// gap (as `allot solve --time-limit`).
    #[arg(long, value_name = "SECONDS")]
    time_limit: Option<f64>,
    /// Requests handled at once (each solve uses one core).
    #[arg(long, value_name = "N", default_value_t = 4)]
    workers: usize,
}

/// The largest request body read (a what-if is a few hundred bytes).
const MAX_BODY: u64 = 1 << 20;

/// Runs `allot serve` until the process is stopped.
pub fn run(args: Args) -> allot::Result<i32> {
    super::check_time_limit(args.time_limit)?;
    if args.workers == 0 {
        return Err(Error::Input("--workers: must be at least 1".into()));
    }
    let addr = listen_address(&args.addr, args.public)?;
    let state = api::State::new(args.scenario.clone(), args.lang, args.time_limit)?;
    let server = tiny_http::Server::http(addr)
        .map_err(|e| Error::System(format!("--addr {}: cannot listen: {e}", args.addr)))?;
    let bound = server
        .server_addr()
        .to_ip()
        .map_or_else(|| args.addr.clone(), |a| a.to_string());
    println!("listening on http://{bound}");
    let _ = std::io::stdout().flush();
    let (server, state) = (Arc::new(server), Arc::new(state));
    let workers: Vec<_> = (0..args.workers)
        .map(|_| {
            let (server, state) = (Arc::clone(&server), Arc::clone(&state));
            std::thread::Builder::new()
                .name("allot-serve".into())
                .spawn(move || {
                    while let Ok(request) = server.recv() {
                        handle(&state, request);
                    }
                })
                .map_err(|e| Error::System(format!("cannot start a server thread: {e}")))
        })
        .collect::<Result<_, _>>()?;
    for worker in workers {
        let _ = worker.join();
    }
    Ok(0)
}

/// The address to listen on; a non-loopback one only with `--public`.
fn listen_address(text: &str, public: bool) -> allot::Result<SocketAddr> {
    let addr = text
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| {
            Error::Input(format!(
                "--addr {text}: expected HOST:PORT, e.g. 127.0.0.1:8765"
            ))
        })?;
    if !addr.ip().is_loopback() && !public {
        return Err(Error::Input(format!(
            "--addr {text}: not a loopback address; what-ifs reveal unpublished decisions, so serving beyond this machine needs --public"
        )));
    }
    Ok(addr)
}

/// Answers one request; a fault in a handler becomes a 500, and the server goes on.
fn handle(state: &api::State, mut request: tiny_http::Request) {
    let method = request.method().clone();
    let path = request.url().split('?').next().unwrap_or("").to_string();
    let header = |name: &'static str| {
        request
            .headers()
            .iter()
            .find(|h| h.field.equiv(name))
            .map(|h| h.value.as_str().to_string())
    };
    let page = header("X-Allot-Page").zip(header("X-Allot-Seq"));
    let mut body = Vec::new();
    let read = request
        .as_reader()
        .take(MAX_BODY + 1)
        .read_to_end(&mut body);
    let reply = if read.is_err() {
        api::Reply::error(400, "the request body could not be read")
    } else if body.len() as u64 > MAX_BODY {
        api::Reply::error(413, "the request body is larger than 1 MiB")
    } else {
        let call = || state.answer(&method, &path, &body, page.as_ref());
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)).unwrap_or_else(|_| {
            api::Reply::error(500, "internal fault while answering; the server goes on")
        })
    };
    // Content-Length, not chunks: every answer is whole before it is sent.
    let mut response = tiny_http::Response::from_data(reply.body)
        .with_status_code(reply.status)
        .with_chunked_threshold(usize::MAX);
    for (name, value) in reply.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    let _ = request.respond(response);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_without_public() {
        assert!(listen_address("127.0.0.1:0", false).is_ok());
        assert!(listen_address("[::1]:0", false).is_ok());
        let refused = listen_address("0.0.0.0:8765", false).unwrap_err();
        assert!(refused.to_string().contains("--public"), "{refused}");
        assert!(listen_address("0.0.0.0:8765", true).is_ok());
        let bad = listen_address("nowhere", false).unwrap_err();
        assert!(bad.to_string().contains("HOST:PORT"), "{bad}");
    }
}
