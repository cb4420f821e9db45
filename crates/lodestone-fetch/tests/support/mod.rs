//! Why this file exists: the downloader is tested against a real HTTP server on loopback
//! (127.0.0.1, an ephemeral port, one thread), small enough to misbehave on purpose: cut a body
//! short, ignore `Range`, answer 404. It records each request's path and `Range` header so a
//! test can assert what the client asked. Shared with the CLI's test through `#[path]`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// How the server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// 200 for the whole file, 206 for a `Range: bytes=N-`.
    Honest,
    /// The first request gets 200 with the full Content-Length but only this many body bytes,
    /// then the connection closes; later requests are answered honestly.
    CutFirstAfter(usize),
    /// Always 200 and the whole file, whatever the Range.
    IgnoresRange,
    /// The first request gets this many body bytes, then nothing for 3 s (the connection open).
    StallFirstAfter(usize),
}

/// What the server saw of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub path: String,
    pub range: Option<String>,
    /// Every header line, as sent (to check that a key travels in a header).
    pub headers: Vec<String>,
}

pub struct Server {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves `files` (path → bytes) on 127.0.0.1:0; at most 64 connections, then the thread ends.
    pub fn start(files: Vec<(&str, Vec<u8>)>, behaviour: Behaviour) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let files: HashMap<String, Vec<u8>> =
            files.into_iter().map(|(p, b)| (p.to_string(), b)).collect();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for (n, stream) in listener.incoming().take(64).enumerate() {
                let Ok(stream) = stream else { continue };
                let _ = answer(stream, &files, behaviour, n, &log);
            }
        });
        Server { base, seen }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

/// A port with nothing listening on it (bound, then released).
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    l.local_addr().expect("addr").port()
}

fn answer(
    stream: TcpStream,
    files: &HashMap<String, Vec<u8>>,
    behaviour: Behaviour,
    n: usize,
    log: &Mutex<Vec<Seen>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" {
            break;
        }
        headers.push(line.trim_end().to_string());
    }
    let range = headers.iter().find_map(|h| {
        let (k, v) = h.split_once(':')?;
        k.eq_ignore_ascii_case("range")
            .then(|| v.trim().to_string())
    });
    if let Ok(mut l) = log.lock() {
        l.push(Seen {
            path: path.clone(),
            range: range.clone(),
            headers,
        });
    }
    let mut out = stream;
    let Some(body) = files.get(&path) else {
        let msg = b"not here\n";
        write!(
            out,
            "HTTP/1.1 404 Not Found\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            msg.len()
        )?;
        return out.write_all(msg);
    };
    let from = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.strip_suffix('-'))
        .and_then(|r| r.parse::<usize>().ok());
    match (behaviour, from) {
        (Behaviour::CutFirstAfter(cut), _) if n == 0 => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            out.write_all(&body[..cut.min(body.len())])?;
            out.flush()?;
            out.shutdown(std::net::Shutdown::Both)
        }
        (Behaviour::StallFirstAfter(cut), _) if n == 0 => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            out.write_all(&body[..cut.min(body.len())])?;
            out.flush()?;
            std::thread::sleep(std::time::Duration::from_secs(3));
            Ok(())
        }
        (Behaviour::IgnoresRange, _) | (_, None) => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            out.write_all(body)
        }
        (_, Some(from)) if from >= body.len() => write!(
            out,
            "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            body.len()
        ),
        (_, Some(from)) => {
            write!(
                out,
                "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{}/{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len() - 1,
                body.len(),
                body.len() - from
            )?;
            out.write_all(&body[from..])
        }
    }
}

/// A tiny zip shaped like a BACI release: one year file with BACI's `t,i,j,k,v,q` header and
/// the release's country table.
pub fn baci_zip(version: &str) -> Vec<u8> {
    use std::io::Cursor;
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts: zip::write::SimpleFileOptions =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut year = String::from("t,i,j,k,v,q\n");
    for (i, (exp, imp, k)) in [
        (156, 842, "810194"),
        (156, 392, "810194"),
        (398, 156, "261100"),
        (860, 276, "811010"),
        (643, 156, "280450"),
    ]
    .iter()
    .enumerate()
    {
        year.push_str(&format!(
            "2022,{exp},{imp},{k},{}.{:03},{}.5\n",
            1000 + i * 37,
            i * 111,
            20 + i
        ));
    }
    w.start_file(format!("BACI_HS17_Y2022_{version}.csv"), opts)
        .expect("zip entry");
    w.write_all(year.as_bytes()).expect("zip write");
    w.start_file(format!("country_codes_{version}.csv"), opts)
        .expect("zip entry");
    w.write_all(
        "country_code,country_name,country_iso2,country_iso3\n156,China,CN,CHN\n276,Germany,DE,DEU\n392,Japan,JP,JPN\n398,Kazakhstan,KZ,KAZ\n643,Russian Federation,RU,RUS\n842,USA,US,USA\n860,Uzbekistan,UZ,UZB\n"
            .as_bytes(),
    )
    .expect("zip write");
    w.finish().expect("zip finish").into_inner()
}

/// Lower-case hex SHA-256, computed independently of the crate under test (`sha256sum` when
/// present would do too; this uses the same algorithm crate on the bytes in memory).
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
