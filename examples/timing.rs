fn main() {
    let t = std::time::Instant::now();
    let s = allot::scenario::load(std::path::Path::new(&std::env::args().nth(1).unwrap())).unwrap();
    eprintln!("load {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let e = allot::rules::evaluate(&s);
    eprintln!("rules {:?} cands {}", t.elapsed(), e.candidates.len());
    let t = std::time::Instant::now();
    let o = allot::solve::solve(&s, &e, &Default::default()).unwrap();
    eprintln!("solve {:?} {:?}", t.elapsed(), o.stats);
}
