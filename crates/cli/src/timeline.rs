//! `tessera mnist --trace FILE`: the training run's timeline (`tessera_tensor::runtime::trace`)
//! written in Chrome's trace-event format, and summed per thread and per span name.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use tessera_tensor::runtime::trace::{Span, Timeline};

/// Spans a timeline keeps at most (72 bytes each): ~50 per step of the chapter's run, so about
/// 40 of its epochs.
pub const MAX_SPANS: usize = 1 << 20;

/// The track of spans run outside the pool (a small number: trace viewers read ids as doubles).
const OUTSIDE: usize = 1 << 30;

/// The span's shape, named for what it is.
fn args(s: &Span) -> serde_json::Value {
    let [a, b, c] = s.detail;
    match s.name {
        n if n.starts_with("gemm") => serde_json::json!({ "m": a, "k": b, "n": c }),
        "update" => serde_json::json!({ "values": a }),
        _ if a > 0 => serde_json::json!({ "epoch": a, "step": b }),
        _ => serde_json::json!({}),
    }
}

/// The thread's id in the file: its pool index, or [`OUTSIDE`].
fn tid(s: &Span) -> usize {
    s.thread.unwrap_or(OUTSIDE)
}

/// A thread's name in the file and the sums.
fn thread_label(tid: usize) -> String {
    if tid == OUTSIDE { "outside the pool".to_string() } else { format!("worker {tid}") }
}

/// Writes `t` as trace events ("X": complete events, microseconds), one track per thread,
/// event by event (a long timeline is not built as one JSON value in memory first).
pub fn write_chrome_trace(t: &Timeline, path: &Path) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", path.display());
    let json = |e: serde_json::Error| format!("{}: {e}", path.display());
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    let mut threads: Vec<usize> = t.spans.iter().map(tid).collect();
    threads.sort_unstable();
    threads.dedup();
    let names = threads.iter().map(|&tid| {
        let name = thread_label(tid);
        serde_json::json!({ "name": "thread_name", "ph": "M", "pid": 1, "tid": tid, "args": { "name": name } })
    });
    let spans = t.spans.iter().map(|s| {
        serde_json::json!({
            "name": s.name,
            "ph": "X",
            "pid": 1,
            "tid": tid(s),
            "ts": s.start_ns as f64 / 1e3,
            "dur": s.end_ns.saturating_sub(s.start_ns) as f64 / 1e3,
            "args": args(s),
        })
    });
    out.write_all(b"{\"displayTimeUnit\":\"ns\",\"traceEvents\":[").map_err(io)?;
    for (i, event) in names.chain(spans).enumerate() {
        if i > 0 {
            out.write_all(b",\n").map_err(io)?;
        }
        serde_json::to_writer(&mut out, &event).map_err(json)?;
    }
    out.write_all(b"]}\n").map_err(io)?;
    out.flush().map_err(io)
}

/// Nanoseconds of each (thread, name): in total, and of the span's own (without the spans that
/// ran inside it on the same thread: a `wait`'s own time is idle, a `gemm`'s own time is its
/// micro-kernels).
fn sums(t: &Timeline) -> BTreeMap<(usize, &'static str), (u64, u64)> {
    let mut by_thread: BTreeMap<usize, Vec<&Span>> = BTreeMap::new();
    for s in &t.spans {
        by_thread.entry(tid(s)).or_default().push(s);
    }
    let mut sums: BTreeMap<(usize, &'static str), (u64, u64)> = BTreeMap::new();
    for (thread, mut spans) in by_thread {
        // Parents first: by start, the longer of two that start together.
        spans.sort_by_key(|s| (s.start_ns, std::cmp::Reverse(s.end_ns)));
        let dur = |s: &Span| s.end_ns.saturating_sub(s.start_ns);
        let mut open: Vec<(&Span, u64)> = Vec::new();
        let close = |(s, inner): (&Span, u64), sums: &mut BTreeMap<_, (u64, u64)>| {
            let e = sums.entry((thread, s.name)).or_insert((0, 0));
            e.0 += dur(s);
            e.1 += dur(s).saturating_sub(inner);
        };
        for s in spans {
            while let Some(&(top, _)) = open.last() {
                if top.end_ns > s.start_ns {
                    break;
                }
                close(open.pop().expect("non-empty"), &mut sums);
            }
            if let Some(parent) = open.last_mut() {
                parent.1 += dur(s);
            }
            open.push((s, 0));
        }
        while let Some(top) = open.pop() {
            close(top, &mut sums);
        }
    }
    sums
}

/// Microseconds per training step of each span name on each thread, total and own, in the
/// order the names first ran.
pub fn summary(t: &Timeline) -> String {
    let steps = t.spans.iter().filter(|s| s.name == "forward").count().max(1);
    let sums = sums(t);
    let mut threads: Vec<usize> = sums.keys().map(|k| k.0).collect();
    threads.dedup();
    let mut names: Vec<&str> = Vec::new();
    for s in &t.spans {
        if !names.contains(&s.name) {
            names.push(s.name);
        }
    }
    let mut out = format!(
        "µs per step over {steps} steps, per thread: total / own (without the spans inside it on that thread)\n{:<18}",
        "span"
    );
    for &tid in &threads {
        out += &format!("{:>20}", thread_label(tid));
    }
    for name in names {
        out += &format!("\n{name:<18}");
        for &tid in &threads {
            out += &match sums.get(&(tid, name)) {
                Some(&(total, own)) => {
                    let us = |ns: u64| ns as f64 / 1e3 / steps as f64;
                    format!("{:>20}", format!("{:.1} / {:.1}", us(total), us(own)))
                }
                None => format!("{:>20}", "-"),
            };
        }
    }
    if t.dropped > 0 {
        out += &format!("\n({} spans past the first {MAX_SPANS} were not kept)", t.dropped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(name: &'static str, thread: usize, start_ns: u64, end_ns: u64) -> Span {
        Span { name, thread: Some(thread), start_ns, end_ns, detail: [0; 3] }
    }

    #[test]
    fn own_time_leaves_out_the_spans_inside() {
        let t = Timeline {
            spans: vec![
                span("forward", 0, 0, 10_000),
                span("gemm", 0, 1_000, 6_000),
                span("pack A", 0, 1_000, 2_000),
                span("wait", 0, 6_000, 9_000),
                span("gemm", 0, 7_000, 8_000),
                span("gemm", 1, 1_000, 8_000),
            ],
            dropped: 0,
        };
        let s = sums(&t);
        assert_eq!(s[&(0, "forward")], (10_000, 2_000));
        assert_eq!(s[&(0, "gemm")], (6_000, 5_000));
        assert_eq!(s[&(0, "wait")], (3_000, 2_000));
        assert_eq!(s[&(0, "pack A")], (1_000, 1_000));
        assert_eq!(s[&(1, "gemm")], (7_000, 7_000));
        let file = std::env::temp_dir().join(format!("tessera-timeline-{}.json", std::process::id()));
        write_chrome_trace(&t, &file).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        std::fs::remove_file(&file).unwrap();
        let events = doc["traceEvents"].as_array().unwrap();
        // One name per thread, then the spans in order, in microseconds.
        assert_eq!(events.len(), 2 + t.spans.len());
        assert_eq!(
            (events[0]["ph"].as_str(), events[1]["args"]["name"].as_str()),
            (Some("M"), Some("worker 1"))
        );
        assert_eq!(events[3]["name"], "gemm");
        assert_eq!((events[3]["ts"].as_f64(), events[3]["dur"].as_f64()), (Some(1.0), Some(5.0)));
        assert_eq!(events[3]["args"], serde_json::json!({ "m": 0, "k": 0, "n": 0 }));
        let table = summary(&t);
        assert!(table.contains("over 1 steps"), "{table}");
        assert!(
            table
                .lines()
                .any(|l| l.starts_with("gemm") && l.contains("6.0 / 5.0") && l.contains("7.0 / 7.0"))
        );
    }
}
