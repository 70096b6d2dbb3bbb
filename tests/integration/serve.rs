//! `allot serve` over loopback: every kind of what-if answers exactly the certificate `allot solve
//! -f json` writes, explanations and reports equal the commands', the downloaded scenario file
//! reproduces the portfolio, bad requests get a 4xx naming the fault and the server goes on,
//! concurrent and superseded requests; and the page in Debian's Chromium, driven over the DevTools
//! protocol: no console errors, a budget slider and a lock change the funded list to what the API
//! answers, and a screenshot shows the tables.

use crate::util::{chromium, ok, plain as allot, BIN, CHROMIUM_FLAGS};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A running `allot serve`, stopped when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    /// Starts `allot serve ARGS --addr 127.0.0.1:0` and reads the address it prints.
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("serve")
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("allot serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Server { child, addr }
    }

    fn post(&self, path: &str, body: &str) -> (u16, String) {
        let (status, _, text) = http(&self.addr, "POST", path, &[], body);
        (status, text)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 request (`Connection: close`): status, head and body of the answer.
fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("the server accepts");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    // Read the head, then as many bytes as Content-Length says (a browser's DevTools server
    // keeps the connection open), or to the end.
    let mut answer = Vec::new();
    let mut byte = [0u8; 1];
    while !answer.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).unwrap(),
            1,
            "the answer ended in its head"
        );
        answer.push(byte[0]);
    }
    let head = String::from_utf8(answer).expect("UTF-8 head");
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let length = head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("content-length")
            .then(|| v.trim().parse::<usize>().ok())?
    });
    assert!(
        !head
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{head}"
    );
    let mut body = Vec::new();
    match length {
        Some(n) => {
            body.resize(n, 0);
            stream.read_exact(&mut body).unwrap();
        }
        None => {
            stream.read_to_end(&mut body).unwrap();
        }
    }
    (status, head, String::from_utf8(body).expect("UTF-8 body"))
}

/// What-ifs of every kind, as the API's body and as the command line's flags.
fn what_ifs() -> Vec<(Value, Vec<&'static str>)> {
    vec![
        (json!({}), vec![]),
        (
            json!({"set": {"pools.key.budget": "35000000"}}),
            vec!["--set", "pools.key.budget=35000000"],
        ),
        (
            json!({"set": {"rounds.major.max_projects": 15}}),
            vec!["--set", "rounds.major.max_projects=15"],
        ),
        (
            json!({"lock": ["P082:intelligent"]}),
            vec!["--lock", "P082:intelligent"],
        ),
        (json!({"exclude": ["P037"]}), vec!["--exclude", "P037"]),
        (
            json!({"weights": {"tech": "0.5"}}),
            vec!["--weight", "tech=0.5"],
        ),
        (
            json!({"set": {"pools.key.budget": "33000000", "pools.upgrade.budget": 9000000},
                   "lock": ["P010:major"], "exclude": ["P108"],
                   "weights": {"tech": "0.4", "jobs": 0.1}}),
            vec![
                "--set",
                "pools.key.budget=33000000",
                "--set",
                "pools.upgrade.budget=9000000",
                "--lock",
                "P010:major",
                "--exclude",
                "P108",
                "--weight",
                "tech=0.4",
                "--weight",
                "jobs=0.1",
            ],
        ),
    ]
}

#[test]
fn every_what_if_answers_the_certificate_solve_writes() {
    let server = Server::start(&[]);
    for (body, flags) in what_ifs() {
        let (status, text) = server.post("/api/solve", &body.to_string());
        assert_eq!(status, 200, "{body}: {text}");
        let mut args = vec!["solve", "-f", "json"];
        args.extend(flags);
        assert_eq!(text, ok(&args), "{body}");
    }
}

#[test]
fn explanations_reports_and_the_scenario_file_equal_the_commands() {
    let server = Server::start(&[]);
    let (status, text) = server.post("/api/explain", r#"{"project": "P082"}"#);
    assert_eq!(status, 200, "{text}");
    assert_eq!(text, ok(&["explain", "P082", "-f", "json"]));
    let body = r#"{"project": "P082", "format": "text", "lang": "en", "exclude": ["P037"]}"#;
    let (status, text) = server.post("/api/explain", body);
    assert_eq!(status, 200, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        answer["text"].as_str().unwrap(),
        ok(&["explain", "P082", "--lang", "en", "--exclude", "P037"])
    );

    let dir = TempDir::new().unwrap();
    let file = dir.path().join("report.html");
    ok(&["report", "--lang", "en", "-o", file.to_str().unwrap()]);
    let (status, head, text) = http(&server.addr, "POST", "/api/report", &[], r#"{"lang":"en"}"#);
    assert_eq!(status, 200);
    assert!(head.contains("filename=\"report.html\""), "{head}");
    assert_eq!(text, std::fs::read_to_string(&file).unwrap());

    // The scenario file holds the what-ifs and the applications: solved alone, it gives the
    // page's portfolio (only the record of the what-ifs and the input files differ).
    let (body, _) = what_ifs().pop().unwrap();
    let (status, head, toml) = http(
        &server.addr,
        "POST",
        "/api/scenario-file",
        &[],
        &body.to_string(),
    );
    assert_eq!(status, 200, "{toml}");
    assert!(head.contains("filename=\"what-if.toml\""), "{head}");
    let saved = dir.path().join("what-if.toml");
    std::fs::write(&saved, &toml).unwrap();
    let solved = |text: &str| {
        let mut v: Value = serde_json::from_str(text).unwrap();
        let map = v.as_object_mut().unwrap();
        map.remove("manifest");
        map.remove("overrides");
        v
    };
    let alone = ok(&["solve", saved.to_str().unwrap(), "-f", "json"]);
    let (_, answered) = server.post("/api/solve", &body.to_string());
    assert_eq!(solved(&alone), solved(&answered));
    assert!(!solved(&alone)["funded"].as_array().unwrap().is_empty());
}

/// Under `--time-limit` a click explains as `allot explain --time-limit` does (it once answered
/// every click with an error: explanations refused any time limit). With time enough, nothing is
/// left out; with none, every price and margin is marked as not found, from the view's proven
/// optimum or, where the view's own solve was cut short, from a proof of its own.
#[test]
fn a_server_with_a_time_limit_explains_within_it() {
    let server = Server::start(&["--time-limit", "60"]);
    for project in ["P082", "P005"] {
        let body = format!(r#"{{"project": "{project}", "format": "text", "lang": "en"}}"#);
        let (status, text) = server.post("/api/explain", &body);
        assert_eq!(status, 200, "{text}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            answer["text"].as_str().unwrap(),
            ok(&["explain", project, "--lang", "en", "--time-limit", "60"])
        );
    }
    let (status, text) = server.post("/api/explain", r#"{"project": "P005"}"#);
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        text,
        ok(&["explain", "P005", "-f", "json", "--time-limit", "60"])
    );
    // A view the limit cut short has no proven optimum to explain, and proving it would take
    // longer than the limit: the answer says so at once, in the page's language.
    let server = Server::start(&["--time-limit", "0.000001"]);
    let (status, text) = server.post("/api/view", r#"{"lang": "en"}"#);
    assert_eq!(status, 200, "{text}");
    let view: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(view["status"], "time_limit", "{text}");
    for (lang, words) in [
        ("en", "not proven within the server's time limit"),
        ("zh", "未能在服务器的计算时限内得到证明"),
    ] {
        let body = format!(r#"{{"project": "P005", "format": "text", "lang": "{lang}"}}"#);
        let started = std::time::Instant::now();
        let (status, text) = server.post("/api/explain", &body);
        assert_eq!(status, 409, "{text}");
        let answer: Value = serde_json::from_str(&text).unwrap();
        assert!(answer["error"].as_str().unwrap().contains(words), "{text}");
        assert!(started.elapsed().as_secs() < 5, "answered at once");
    }
}

#[test]
fn bad_requests_get_a_4xx_naming_the_fault_and_the_server_goes_on() {
    let server = Server::start(&[]);
    let error = |status: u16, path: &str, body: &str| -> String {
        let (got, text) = server.post(path, body);
        assert_eq!(got, status, "{path} {body}: {text}");
        let v: Value = serde_json::from_str(&text).expect("a JSON error");
        v["error"].as_str().expect("an error message").to_string()
    };
    assert!(error(400, "/api/solve", "not json").starts_with("request body:"));
    assert!(error(400, "/api/solve", r#"{"budget": 1}"#).contains("unknown field `budget`"));
    // The words the command line uses.
    let (_, _, stderr) = allot(&["solve", "--lock", "P999"]);
    assert_eq!(
        format!(
            "allot: {}\n",
            error(400, "/api/solve", r#"{"lock": ["P999"]}"#)
        ),
        stderr
    );
    assert!(error(400, "/api/view", r#"{"weights": {"tech": "-1"}}"#).contains("negative"));
    assert!(error(
        400,
        "/api/solve",
        r#"{"set": {"pools.key.budget": {"a": 1}}}"#
    )
    .contains("expected a string or a number"));
    assert!(
        error(400, "/api/solve", r#"{"set": {"pools.nope.budget": "1"}}"#)
            .contains("--set pools.nope.budget")
    );
    assert!(error(400, "/api/explain", "{}").contains("names no project"));
    assert!(error(400, "/api/solve", r#"{"project": "P001"}"#).contains("/api/explain"));
    assert!(error(400, "/api/view", r#"{"lang": "fr"}"#).contains("zh or en"));
    // A what-if no portfolio can meet: its explanation, as a 422.
    let (status, text) = server.post("/api/view", r#"{"lock": ["P042:major"]}"#);
    assert_eq!(status, 422, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["kind"], "infeasible");
    assert!(v["error"].as_str().unwrap().contains("not eligible there"));
    let (status, _, _) = http(&server.addr, "GET", "/api/solve", &[], "");
    assert_eq!(status, 405);
    let (status, _, _) = http(&server.addr, "GET", "/nowhere", &[], "");
    assert_eq!(status, 404);
    let big = format!(r#"{{"exclude": ["{}"]}}"#, "x".repeat(1 << 21));
    assert_eq!(server.post("/api/solve", &big).0, 413);
    // Still serving.
    let (status, _, text) = http(&server.addr, "GET", "/api/scenario", &[], "");
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["pools"][0]["id"],
        "key"
    );
    assert_eq!(server.post("/api/solve", "{}").0, 200);
}

#[test]
fn concurrent_requests_each_get_their_own_answer_and_older_ones_are_superseded() {
    let server = Server::start(&[]);
    let bodies: Vec<String> = (30..36)
        .map(|m| json!({"set": {"pools.key.budget": format!("{m}000000")}}).to_string())
        .collect();
    let answers: Vec<(u16, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = bodies
            .iter()
            .map(|b| s.spawn(|| server.post("/api/solve", b)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (body, (status, text)) in bodies.iter().zip(answers) {
        assert_eq!(status, 200);
        assert_eq!(text, server.post("/api/solve", body).1, "{body}");
    }
    let with_seq = |seq: &str| {
        let headers = [("X-Allot-Page", "page-1"), ("X-Allot-Seq", seq)];
        http(&server.addr, "POST", "/api/view", &headers, "{}").0
    };
    assert_eq!(with_seq("5"), 200);
    assert_eq!(with_seq("3"), 409);
    assert_eq!(with_seq("6"), 200);
}

#[test]
fn a_non_loopback_address_needs_public() {
    let (code, _, stderr) = allot(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--public"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// The page in Chromium, over the DevTools protocol
// ---------------------------------------------------------------------------------------------

/// A DevTools connection to one page: commands by id, events kept.
struct DevTools {
    socket: tungstenite::WebSocket<tungstenite::stream::MaybeTlsStream<TcpStream>>,
    next: u64,
    events: Vec<Value>,
}

impl DevTools {
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next += 1;
        let id = self.next;
        let message = json!({"id": id, "method": method, "params": params}).to_string();
        self.socket
            .send(tungstenite::Message::text(message))
            .unwrap();
        loop {
            let message = self.socket.read().expect("a DevTools message");
            let Ok(text) = message.to_text() else {
                continue;
            };
            let v: Value = serde_json::from_str(text).unwrap();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
            self.events.push(v);
        }
    }

    /// The value of a JavaScript expression in the page.
    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }

    /// Waits until the page has no what-if in flight.
    fn idle(&mut self) {
        let start = Instant::now();
        while self.eval("document.body.dataset.idle === '1'") != json!(true) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the page never settled"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The funded (project:round) pairs the page's tables show, sorted.
    fn funded(&mut self) -> Vec<String> {
        let list = self.eval(
            "[...document.querySelectorAll('section.round tbody tr.funded')].map(r => \
             r.querySelector('td.id').textContent + ':' + r.closest('section.round').id.slice(6)).sort()",
        );
        serde_json::from_value(list).unwrap()
    }

    /// A PNG screenshot, of the whole page or of what the window shows, also written to
    /// `target/tmp/NAME` (to look at, and for docs/serve.md).
    fn screenshot(&mut self, name: &str, whole: bool) -> Vec<u8> {
        use base64::Engine;
        let shot = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": whole}),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap())
            .unwrap();
        std::fs::write(Path::new(env!("CARGO_TARGET_TMPDIR")).join(name), &png).unwrap();
        png
    }

    /// Console messages, exceptions and log errors seen so far.
    fn trouble(&self) -> Vec<&Value> {
        self.events
            .iter()
            .filter(|e| {
                matches!(
                    e["method"].as_str(),
                    Some("Runtime.exceptionThrown" | "Runtime.consoleAPICalled")
                ) || e["method"] == "Log.entryAdded" && e["params"]["entry"]["level"] == "error"
            })
            .collect()
    }
}

/// The funded pairs `/api/view` answers for `body`, sorted as [`DevTools::funded`].
fn api_funded(server: &Server, body: Value) -> Vec<String> {
    let (status, text) = server.post("/api/view", &body.to_string());
    assert_eq!(status, 200, "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let mut pairs: Vec<String> = v["funded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}:{}",
                p["project"].as_str().unwrap(),
                p["round"].as_str().unwrap()
            )
        })
        .collect();
    pairs.sort();
    pairs
}

/// Headless Chromium with a DevTools port; killed when the test ends.
struct Browser(Child);

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn open_page(browser: &Path, profile: &Path, url: &str) -> (Browser, DevTools) {
    let mut child = Command::new(browser)
        .args(CHROMIUM_FLAGS)
        .args(["--remote-debugging-port=0", "--window-size=1400,1000"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    for line in stderr.lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("DevTools listening on ws://").nth(1) {
            port = rest.split('/').next().map(str::to_string);
            break;
        }
    }
    let browser = Browser(child);
    let host = port.expect("chromium printed its DevTools address");
    let (_, _, list) = http(&host, "GET", "/json/list", &[], "");
    let targets: Value = serde_json::from_str(&list).unwrap();
    let ws = targets
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["type"] == "page")
        .and_then(|t| t["webSocketDebuggerUrl"].as_str())
        .expect("a page target")
        .to_string();
    let (socket, _) = tungstenite::connect(ws).expect("DevTools websocket");
    let mut tools = DevTools {
        socket,
        next: 0,
        events: Vec::new(),
    };
    for domain in ["Runtime.enable", "Log.enable", "Page.enable"] {
        tools.call(domain, json!({}));
    }
    tools.call("Page.navigate", json!({ "url": url }));
    (browser, tools)
}

#[test]
fn chromium_shows_the_page_follows_a_slider_and_a_lock() {
    let Some(browser) = chromium() else { return };
    let server = Server::start(&[]);
    let dir = TempDir::new().unwrap();
    let url = format!("http://{}/", server.addr);
    let (_browser, mut page) = open_page(&browser, &dir.path().join("profile"), &url);
    // The script has run once the title names the scenario; then the first what-if settles.
    let start = Instant::now();
    while page.eval(
        "(document.getElementById('title') || {textContent: ''}).textContent.includes('衢州')",
    ) != json!(true)
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the page never started"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    page.idle();
    assert_eq!(page.funded(), api_funded(&server, json!({})));
    assert_eq!(page.funded().len(), 28);

    // The key pool's slider to 35,000,000.
    page.eval(
        "(() => { const r = document.querySelector('.control[data-key=\"pools.key.budget\"] input[type=range]'); \
         r.value = '35000000'; r.dispatchEvent(new Event('input')); })()",
    );
    page.idle();
    let budget = json!({"set": {"pools.key.budget": "35000000"}});
    let after_slider = api_funded(&server, budget.clone());
    assert_eq!(page.funded(), after_slider);
    assert_ne!(
        after_slider,
        api_funded(&server, json!({})),
        "the slider changed nothing"
    );
    // The exact input shows the same amount.
    assert_eq!(
        page.eval("document.querySelector('.control[data-key=\"pools.key.budget\"] input[type=number]').value"),
        json!("35000000")
    );

    // Click the first unfunded row of the major round, then its lock button.
    let pair = page.eval(
        "(() => { const row = document.querySelector('#round-major tbody tr.unfunded'); row.click(); \
         return row.querySelector('td.id').textContent; })()",
    );
    let project = pair.as_str().unwrap().to_string();
    let start = Instant::now();
    while page.eval("document.querySelectorAll('#detail-actions button').length > 0") != json!(true)
    {
        assert!(start.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(50));
    }
    page.eval(
        "[...document.querySelectorAll('#detail-actions button')].find(b => b.textContent.includes(roundName('major'))).click()",
    );
    page.idle();
    let locked = format!("{project}:major");
    let funded = page.funded();
    assert!(funded.contains(&locked), "{locked} not funded: {funded:?}");
    let mut body = budget;
    body["lock"] = json!([locked]);
    assert_eq!(funded, api_funded(&server, body));
    // The lock is listed, with a button to remove it; its explanation is shown.
    let listed = page.eval("document.getElementById('decisions').textContent");
    assert!(listed.as_str().unwrap().contains(&project), "{listed}");
    let start = Instant::now();
    loop {
        let text = page.eval("document.getElementById('detail-text').textContent");
        if text.as_str().unwrap().contains(&project) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no explanation: {text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    // A screenshot: the funded rows' green is painted.
    let png = page.screenshot("serve-page.png", true);
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let green = buf
        .chunks(channels)
        .filter(|p| p[..3] == [0xdc, 0xef, 0xdf])
        .count();
    assert!(
        green > 10_000,
        "few funded-green pixels in target/tmp/serve-page.png: {green}"
    );
    // What the room sees (for docs/serve.md): the top of the page with the open explanation.
    page.eval("window.scrollTo(0, 0)");
    page.screenshot("serve-view.png", false);
    // Every word the page shows exists in both languages.
    assert_eq!(
        page.eval("JSON.stringify(Object.keys(WORDS.zh).sort()) === JSON.stringify(Object.keys(WORDS.en).sort())"),
        json!(true)
    );
    assert_eq!(
        page.eval("document.body.innerText.includes('undefined')"),
        json!(false)
    );
    // In English: the same portfolio, the page's own words in English.
    page.eval("document.getElementById('lang').click()");
    page.idle();
    assert_eq!(page.funded(), funded);
    assert_eq!(page.eval("document.documentElement.lang"), json!("en"));
    let text = page.eval("document.getElementById('controls').innerText");
    assert!(
        text.as_str().unwrap().contains("Pool budgets (yuan)"),
        "{text}"
    );
    assert_eq!(
        page.eval("document.body.innerText.includes('undefined')"),
        json!(false)
    );
    page.screenshot("serve-view-en.png", false);
    let trouble = page.trouble();
    assert!(trouble.is_empty(), "console trouble: {trouble:?}");
}

// ---------------------------------------------------------------------------------------------
// Latency (a measurement, not a test: `cargo test --release --test integration -- --ignored
// --nocapture serve::latency`; figures in BENCHMARKS.md)
// ---------------------------------------------------------------------------------------------

/// p50 and p95 of `/api/view` over a scripted series of 40 new what-ifs (a budget slider dragged
/// in 20 steps, 10 weights, 10 exclusions of funded projects), against one `allot solve` process.
fn latency(label: &str, args: &[&str]) {
    let server = Server::start(args);
    let (_, _, text) = http(&server.addr, "GET", "/api/scenario", &[], "");
    let scenario: Value = serde_json::from_str(&text).unwrap();
    let budget: f64 = scenario["pools"][0]["budget"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let pool = scenario["pools"][0]["id"].as_str().unwrap().to_string();
    let criterion = scenario["criteria"][0]["id"].as_str().unwrap().to_string();
    let (_, base) = server.post("/api/view", "{}");
    let base: Value = serde_json::from_str(&base).unwrap();
    let mut series: Vec<Value> = (1..=20)
        .map(|i| {
            let amount = (budget * (0.80 + 0.02 * i as f64)).round() as u64;
            json!({"set": {format!("pools.{pool}.budget"): amount.to_string()}})
        })
        .collect();
    series
        .extend((1..=10).map(|i| json!({"weights": {&criterion: format!("0.{:02}", 10 + 4 * i)}})));
    series.extend(
        base["funded"].as_array().unwrap()[..10]
            .iter()
            .map(|p| json!({"exclude": [p["project"]]})),
    );
    // Per what-if: the portfolio first (what the page shows at once), then with the prices of
    // inclusion (what it shows next), as the page asks.
    let mut first = Vec::new();
    let mut full = Vec::new();
    for body in &series {
        let start = Instant::now();
        for (prices, times) in [(false, &mut first), (true, &mut full)] {
            let mut body = body.clone();
            body["prices"] = json!(prices);
            let (status, text) = server.post("/api/view", &body.to_string());
            assert!(status == 200 || status == 422, "{body}: {text}");
            times.push(start.elapsed().as_secs_f64());
        }
    }
    let quantiles = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
        format!(
            "p50 {:.3} s, p95 {:.3} s, max {:.3} s",
            at(0.5),
            at(0.95),
            times[times.len() - 1]
        )
    };
    let mut solve = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let mut cmd = vec!["solve"];
        cmd.extend(args);
        ok(&cmd);
        solve.push(start.elapsed().as_secs_f64());
    }
    solve.sort_by(f64::total_cmp);
    println!(
        "{label}, {} what-ifs: portfolio shown {}; with prices {}; one `allot solve` process (table) median {:.3} s",
        series.len(),
        quantiles(&mut first),
        quantiles(&mut full),
        solve[2]
    );
}

#[test]
#[ignore = "a measurement; run by hand, figures in BENCHMARKS.md"]
fn latency_over_a_scripted_series_of_what_ifs() {
    latency("bundled 150", &[]);
    let dir = TempDir::new().unwrap();
    let folder = dir.path().join("g1000");
    ok(&[
        "generate",
        "--projects",
        "1000",
        "--seed",
        "7",
        "-o",
        folder.to_str().unwrap(),
    ]);
    latency("generated 1,000 (seed 7)", &[folder.to_str().unwrap()]);
}

#[test]
fn a_scenario_on_disk_is_answered_from_its_files_as_read_at_the_start() {
    // Applications in a CSV beside the scenario: the server holds both files' bytes.
    let folder = crate::util::fixture_path("panel");
    let server = Server::start(&[folder.to_str().unwrap()]);
    for (body, flags) in [
        (json!({}), vec![]),
        (
            json!({"weights": {"tech": "0.5"}}),
            vec!["--weight", "tech=0.5"],
        ),
    ] {
        let (status, text) = server.post("/api/solve", &body.to_string());
        assert_eq!(status, 200, "{text}");
        let mut args = vec!["solve", folder.to_str().unwrap(), "-f", "json"];
        args.extend(flags);
        assert_eq!(text, ok(&args), "{body}");
    }
    // Its scenario file writes the experts' scores inline and reproduces the portfolio.
    let body = r#"{"weights": {"tech": "0.5"}, "exclude": ["P01"]}"#;
    let (status, toml) = server.post("/api/scenario-file", body);
    assert_eq!(status, 200, "{toml}");
    let dir = TempDir::new().unwrap();
    let saved = dir.path().join("what-if.toml");
    std::fs::write(&saved, &toml).unwrap();
    let portfolio = |text: &str| {
        let v: Value = serde_json::from_str(text).unwrap();
        (
            v["funded"].clone(),
            v["total_score"].clone(),
            v["projects"].clone(),
        )
    };
    assert_eq!(
        portfolio(&ok(&["solve", saved.to_str().unwrap(), "-f", "json"])),
        portfolio(&server.post("/api/solve", body).1)
    );
}

#[test]
fn an_address_in_use_is_refused_by_name() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let (code, _, stderr) = allot(&["serve", "--addr", &addr]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("--addr {addr}: cannot listen")),
        "{stderr}"
    );
}
