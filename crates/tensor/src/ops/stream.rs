//! Non-temporal ("streaming") stores for long outputs.
//!
//! A normal store to a line that is not in cache first reads that line (read-for-ownership), so
//! `out = x + y` moves four streams through memory, not three. A streaming store writes whole
//! lines straight to memory without reading them and without evicting useful data from the
//! caches. That only pays when the output is too large to still be in cache when it is read
//! again: over 10^7 f32 streaming wins, at 2^16 elements it loses (docs/kernels-elementwise.md
//! has the measurements). glibc's `memcpy` makes the same choice above a size threshold.
//!
//! Streaming needs aligned addresses, so a run is cut into a scalar head up to the first 64-byte
//! boundary, the streamed body, and the usual scalar tail. The values written are the same either
//! way; only the route to memory differs.
//!
//! ```
//! use tessera_tensor::Tensor;
//! use tessera_tensor::ops::Arith;
//! let x = Tensor::<f32>::full(&[1 << 20], 1.5); // 4 MiB
//! let y = Tensor::<f32>::full(&[1 << 20], 2.0);
//! let mut z = Tensor::<f32>::zeros(&[1 << 20]);
//! x.arith_out(&y, Arith::Add, &mut z).unwrap(); // an existing 4 MiB output: streamed
//! assert_eq!(z.get(&[123_456]).unwrap(), 3.5);
//! assert_eq!(z.get(&[-1]).unwrap(), 3.5);
//! ```

/// Runs whose output is at least this many bytes are written with streaming stores (one task's
/// share of a parallel walk counts, not the whole tensor): well past the 2 MiB L2 of a core.
pub const STREAM_MIN_BYTES: usize = 4 << 20;

/// When a run of `n` elements written at `out` should stream: the number of leading elements to
/// write normally so that the rest starts on a 64-byte boundary. `None` for short runs.
#[inline]
pub(crate) fn stream_head<T>(out: *mut T, n: usize) -> Option<usize> {
    let size = std::mem::size_of::<T>();
    if n * size < STREAM_MIN_BYTES || !(out as usize).is_multiple_of(size) {
        return None;
    }
    let misaligned = (out as usize) % 64;
    Some(if misaligned == 0 { 0 } else { ((64 - misaligned) / size).min(n) })
}

/// Orders this thread's streaming stores before anything it does next (they are weakly
/// ordered); call once after a streamed run.
#[inline]
pub(crate) fn fence() {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `sfence` has no preconditions (SSE is part of the x86-64 baseline).
    unsafe {
        std::arch::x86_64::_mm_sfence()
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_reaches_a_64_byte_boundary() {
        let n = STREAM_MIN_BYTES / 4;
        let buf = vec![0f32; n + 16];
        for shift in 0..16 {
            let p = buf[shift..].as_ptr() as *mut f32;
            let head = stream_head(p, n).expect("long run streams");
            assert!(head < 16);
            assert_eq!((p as usize + head * 4) % 64, 0);
        }
        assert_eq!(stream_head(buf.as_ptr() as *mut f32, 1000), None);
    }
}
