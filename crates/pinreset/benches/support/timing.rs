#![allow(dead_code)] // each benchmark includes this file and uses part of it
//! Latency figures the admin-center benchmarks print: p50, p99 and max of whole requests.

use std::time::Duration;

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// One scenario's line: its name, how many requests, and their p50 / p99 / max.
pub fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<34} n={:<5} p50 {:>6.1} ms   p99 {:>6.1} ms   max {:>6.1} ms",
        samples.len(),
        ms(percentile(&samples, 0.5)),
        ms(percentile(&samples, 0.99)),
        ms(*samples.last().unwrap())
    );
}

/// The `href` of the link with `rel` in a page, unescaped.
pub fn link(html: &str, rel: &str) -> Option<String> {
    let marker = format!("rel=\"{rel}\"");
    let (before, _) = html.split_once(&marker)?;
    Some(before.rsplit("href=\"").next()?.split('"').next()?.replace("&#x2f;", "/").replace("&amp;", "&"))
}
