//! The MNIST download against a local HTTP server on 127.0.0.1 started by each test: a good file,
//! a connection dropped midway, a wrong checksum, a 404, and the whole locate-then-download path
//! into an empty cache. No test needs the internet.

#![cfg(feature = "download")]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tessera_nn::datasets::download::fetch_mnist;
use tessera_nn::datasets::mnist::{FILES, Sources, load_dir};

#[derive(Clone)]
enum Reply {
    /// 200 with the whole body.
    Body(Vec<u8>),
    /// 200 announcing the whole body, then half of it and a closed connection.
    Dropped(Vec<u8>),
}

/// A one-thread HTTP server: paths not in `routes` get a 404. Counts the requests it served.
struct Server {
    base: String,
    hits: Arc<AtomicUsize>,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}/", listener.local_addr().unwrap());
        let hits = Arc::new(AtomicUsize::new(0));
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let (h, r) = (hits.clone(), routes.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                // Skip the request headers.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                h.fetch_add(1, Ordering::SeqCst);
                let path = line.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
                let reply = r.lock().unwrap().get(&path).cloned();
                let _ = match reply {
                    Some(Reply::Body(b)) => write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        b.len()
                    )
                    .and_then(|()| stream.write_all(&b)),
                    Some(Reply::Dropped(b)) => write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        b.len()
                    )
                    .and_then(|()| stream.write_all(&b[..b.len() / 2])),
                    None => stream.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
                    ),
                };
                let _ = stream.shutdown(std::net::Shutdown::Both);
            }
        });
        Server { base, hits, routes }
    }

    fn serve(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }
}

fn shipped(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist").join(format!("{name}.gz"));
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn empty_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tessera-dl-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Files in `dir`, sorted (so a left-over temporary file shows).
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Serves every file but the training images, so a download only has to fetch that one.
fn seed_small_files(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for f in &FILES[1..] {
        std::fs::write(dir.join(format!("{}.gz", f.name)), shipped(f.name)).unwrap();
    }
}

const TRAIN: &str = "train-images-idx3-ubyte";

#[test]
fn good_file_is_verified_and_renamed_into_place() {
    let s = Server::start();
    s.serve("m/train-images-idx3-ubyte.gz", Reply::Body(shipped(TRAIN)));
    let dir = empty_dir("good");
    seed_small_files(&dir);
    fetch_mnist(&dir, &[format!("{}m/", s.base)], false).unwrap();
    assert_eq!(listing(&dir).len(), 4, "{:?}", listing(&dir));
    let ((x, _), _) = load_dir(&dir).unwrap();
    assert_eq!(x.shape(), &[60000, 28, 28]);
}

#[test]
fn dropped_connection_leaves_no_file_and_the_next_mirror_is_tried() {
    let s = Server::start();
    s.serve("a/train-images-idx3-ubyte.gz", Reply::Dropped(shipped(TRAIN)));
    s.serve("b/train-images-idx3-ubyte.gz", Reply::Body(shipped(TRAIN)));
    let dir = empty_dir("drop");
    seed_small_files(&dir);
    let e = fetch_mnist(&dir, &[format!("{}a/", s.base)], false).unwrap_err().to_string();
    assert!(e.contains("a/train-images-idx3-ubyte.gz") && e.contains("after"), "{e}");
    assert!(!listing(&dir).iter().any(|f| f.contains(TRAIN)), "{:?}", listing(&dir));
    fetch_mnist(&dir, &[format!("{}a/", s.base), format!("{}b/", s.base)], false).unwrap();
    assert_eq!(listing(&dir).len(), 4, "{:?}", listing(&dir));
}

#[test]
fn wrong_checksum_is_refused() {
    let s = Server::start();
    // A valid gzip of a valid IDX file, but the test images instead of the training images.
    s.serve("m/train-images-idx3-ubyte.gz", Reply::Body(shipped("t10k-images-idx3-ubyte")));
    let dir = empty_dir("sum");
    seed_small_files(&dir);
    let e = fetch_mnist(&dir, &[format!("{}m/", s.base)], false).unwrap_err().to_string();
    assert!(e.contains("could not be downloaded") && e.contains("train-images-idx3-ubyte"), "{e}");
    assert!(e.contains("header [10000, 28, 28]") || e.contains("SHA-256"), "{e}");
    assert_eq!(listing(&dir).len(), 3, "{:?}", listing(&dir));
}

#[test]
fn not_found_names_the_status_and_every_url() {
    let s = Server::start();
    let dir = empty_dir("404");
    seed_small_files(&dir);
    let mirrors = [format!("{}x/", s.base), format!("{}y/", s.base)];
    let e = fetch_mnist(&dir, &mirrors, false).unwrap_err().to_string();
    assert!(e.contains("404"), "{e}");
    assert!(e.contains("x/train-images") && e.contains("y/train-images"), "{e}");
    assert_eq!(s.hits.load(Ordering::SeqCst), 2);
}

#[test]
fn locate_downloads_into_an_empty_cache_once() {
    let s = Server::start();
    for f in &FILES {
        s.serve(&format!("{}.gz", f.name), Reply::Body(shipped(f.name)));
    }
    let cache = empty_dir("cache");
    let sources = Sources { cache: Some(cache.clone()), mirrors: vec![s.base.clone()], ..Sources::default() };
    assert_eq!(sources.locate().unwrap(), cache);
    assert_eq!(s.hits.load(Ordering::SeqCst), 4);
    assert_eq!(sources.locate().unwrap(), cache);
    assert_eq!(s.hits.load(Ordering::SeqCst), 4, "a complete cache is used as it is");
    let (_, (xt, yt)) = load_dir(&cache).unwrap();
    assert_eq!((xt.shape(), yt.shape()), (&[10000usize, 28, 28][..], &[10000usize][..]));
}

#[test]
fn when_everything_fails_the_error_says_what_was_tried() {
    let s = Server::start();
    let sources = Sources {
        repo: Some(empty_dir("norepo")),
        cache: Some(empty_dir("nocache")),
        mirrors: vec![s.base.clone()],
        ..Sources::default()
    };
    let e = sources.locate().unwrap_err().to_string();
    for want in ["repository data", "user cache", "download into", "404", "--data-dir"] {
        assert!(e.contains(want), "missing {want:?} in: {e}");
    }
    let explicit = Sources { explicit: Some(empty_dir("explicit")), ..sources };
    let e = explicit.locate().unwrap_err().to_string();
    assert!(e.starts_with("model: the data directory") && e.contains("train-images-idx3-ubyte"), "{e}");
}
