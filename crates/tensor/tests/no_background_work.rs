//! A library call returns with nothing left running: after a parallel product, a process that
//! sleeps uses no CPU (Linux: the process's CPU time from /proc/self/stat, in clock ticks).

use tessera_tensor::Tensor;
use tessera_tensor::gemm::{Layers, layers};

/// User + system CPU time of this process so far, in clock ticks (usually 10 ms).
fn cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

#[test]
fn a_sleeping_process_uses_no_cpu_after_a_product() {
    assert!(!layers().linger, "lingering workers are opt-in: {:?}", Layers::DEFAULT);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let a = Tensor::<f32>::ones(&[512, 512]);
    let c = pool.install(|| a.matmul(&a).unwrap());
    assert_eq!(c.get(&[0, 0]).unwrap(), 512.0);
    let Some(before) = cpu_ticks() else {
        eprintln!("skipped: no /proc/self/stat on this system");
        return;
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    let used = cpu_ticks().unwrap() - before;
    // 500 ms asleep: a spinning worker would add ~50 ticks; allow one for the tick boundary.
    assert!(used <= 1, "{used} clock ticks of CPU while the process slept");
}
