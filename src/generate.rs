//! Synthetic Quzhou-shaped rounds for demos, tests and benchmarks: heavy-tailed investments, seven
//! key industries plus a few others, projects entering one or two rounds, and a share that is
//! ineligible for documented reasons (jurisdiction outside 市本级, a non-key industry, a
//! provincial non-manufacturing owner, investment below a round's minimum). The bundled sample is
//! `applications(150, 2019)`; the same seed always gives the same file.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};
use std::fmt::Write;

const KEY_INDUSTRIES: [&str; 7] = [
    "数字经济",
    "新材料",
    "新能源",
    "高端装备",
    "电子信息",
    "生命健康",
    "特种纸",
];
const OTHER_INDUSTRIES: [&str; 2] = ["纺织服装", "食品加工"];

/// The number of distinct industries by default: the seven key industries and two others.
pub const INDUSTRIES: usize = KEY_INDUSTRIES.len() + OTHER_INDUSTRIES.len();

/// The key (eligible) industries of a round with `industries` distinct industries in all: two are
/// always the non-key ones; the first seven key ones are the policy's, any further ones are
/// numbered (重点产业8, 重点产业9, …) so that larger rounds can spread over more industries.
pub fn key_industries(industries: usize) -> Vec<String> {
    let keys = industries.saturating_sub(OTHER_INDUSTRIES.len()).max(1);
    (0..keys)
        .map(|k| match KEY_INDUSTRIES.get(k) {
            Some(name) => (*name).to_string(),
            None => format!("重点产业{}", k + 1),
        })
        .collect()
}
const PLACES: [&str; 8] = [
    "智造", "新创", "华衢", "钱江", "瑞丰", "恒达", "东方", "信安",
];
const KINDS: [&str; 8] = [
    "科技", "材料", "能源", "装备", "电子", "生物", "纸业", "智能",
];
const THINGS: [&str; 8] = [
    "智能化生产线",
    "数字化车间",
    "技术改造",
    "扩产",
    "自动化改造",
    "新产品产业化",
    "绿色工厂",
    "工业互联网",
];

/// The CSV header the generator writes (the Chinese headers of a typical 申报汇总 sheet).
pub const HEADER: &str = "项目编号,项目名称,企业名称,所属产业,属地,申报类别,设备投资(万元),技术投资(万元),软件投资(万元),发明专利产业化,亩产效益A类,龙头/标杆企业,省部属非制造业企业,技术先进性,经济效益,带动就业,智能化水平";

/// What varies between real rounds, for finding the shapes a solver is slow on. The default is
/// the bundled sample's shape (the same seed gives the same files as before these knobs).
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Distinct industries (see `key_industries`).
    pub industries: usize,
    /// Scale budgets and round sizes by n / 150 (so a larger round stays as competitive).
    pub scale: bool,
    /// Scale the intelligent round's per-industry limit (1) by n / 150 too (with `scale`).
    pub scale_groups: bool,
    /// Share of applications entering two rounds.
    pub two_rounds: f64,
    /// Of those, the share whose two rounds draw on different pools (major + upgrade) rather
    /// than share the key pool (intelligent + major).
    pub cross_pool: f64,
    /// Width of the expert scores' spread, relative to the sample's (62–99 points).
    pub score_spread: f64,
    /// Expert scores are rounded to multiples of this many points: 0.1 as in the sample, 1 or 5
    /// for the ties of whole-point marking.
    pub score_step: f64,
    /// Budgets multiplied by this (after scaling): below 1 the money binds harder than the
    /// round sizes.
    pub budget_factor: f64,
    /// The committee's weights of the four criteria in the preset's order (技术先进性, 经济效益,
    /// 带动就业, 智能化水平), as decimals; `None` keeps the preset's 0.35, 0.30, 0.15, 0.20. A
    /// committee's own round weights change which applications sit near the funding lines: at
    /// 10,000 applications 0.30, 0.35, 0.20, 0.15 made a proof of minutes (BENCHMARKS.md).
    pub weights: Option<[rust_decimal::Decimal; 4]>,
}

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            industries: INDUSTRIES,
            scale: true,
            scale_groups: false,
            two_rounds: 0.16,
            cross_pool: 0.5,
            score_spread: 1.0,
            score_step: 0.1,
            budget_factor: 1.0,
            weights: None,
        }
    }
}

/// `n` synthetic applications as CSV text (amounts in 万元), reproducible from `seed`.
pub fn applications(n: usize, seed: u64) -> String {
    applications_shaped(n, seed, &Shape::default())
}

/// `n` applications of the given shape (`Shape::default()` gives `applications`).
pub fn applications_shaped(n: usize, seed: u64, shape: &Shape) -> String {
    let keys = key_industries(shape.industries);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let width = n.to_string().len().max(3);
    // Heavy tails: median 800 万元 of equipment, a few projects in the hundreds of millions.
    let equipment = LogNormal::new(6.7_f64, 0.9).expect("valid log-normal");
    let enterprises = (n * 3 / 4).max(1);
    let mut out = String::with_capacity(n * 160);
    out.push_str(HEADER);
    out.push('\n');
    for i in 1..=n {
        let e = rng.gen_range(0..enterprises);
        let enterprise = format!(
            "衢州{}{}{}有限公司",
            PLACES[e % PLACES.len()],
            KINDS[(e / PLACES.len()) % KINDS.len()],
            if e >= 64 {
                format!("{}号", e / 64)
            } else {
                String::new()
            }
        );
        let industry = if rng.gen_bool(0.9) {
            keys[rng.gen_range(0..keys.len())].as_str()
        } else {
            OTHER_INDUSTRIES[rng.gen_range(0..OTHER_INDUSTRIES.len())]
        };
        let place: f64 = rng.gen();
        let jurisdiction = if place < 0.86 {
            "市本级"
        } else if place < 0.93 {
            "柯城区"
        } else if place < 0.97 {
            "衢江区"
        } else {
            "龙游县"
        };
        let kind: f64 = rng.gen();
        // The sample's shares: 8 % intelligent + major, 6 % intelligent, 8 % major + upgrade,
        // 28 % major, the rest upgrade; `two_rounds` and `cross_pool` move the two-round shares.
        let within = shape.two_rounds * (1.0 - shape.cross_pool);
        let across = shape.two_rounds * shape.cross_pool;
        let rounds = if kind < within {
            "intelligent;major"
        } else if kind < within + 0.06 {
            "intelligent"
        } else if kind < within + 0.06 + across {
            "major;upgrade"
        } else if kind < within + 0.06 + across + 0.28 {
            "major"
        } else {
            "upgrade"
        };
        let scale = if rounds.starts_with("intelligent") {
            3.0
        } else if rounds.starts_with("major") {
            2.0
        } else {
            1.0
        };
        let eq = (equipment.sample(&mut rng) * scale).min(60_000.0);
        let tech = eq * rng.gen_range(0.0..0.35);
        let soft = eq * rng.gen_range(0.0..0.15);
        let flag = |rng: &mut ChaCha8Rng, p: f64| if rng.gen_bool(p) { "是" } else { "否" };
        let patent = flag(&mut rng, 0.18);
        let class_a = flag(&mut rng, 0.22);
        let leader = flag(&mut rng, 0.12);
        let state_owned = flag(&mut rng, 0.03);
        let (spread, step) = (shape.score_spread, shape.score_step);
        let expert = |rng: &mut ChaCha8Rng| {
            let raw = (81.0 - 19.0 * spread + 38.0 * spread * rng.gen::<f64>().powf(0.7)).min(99.0);
            // 0.1 is the CSV's own precision (`{:.1}` rounds to it, as the sample always did).
            if step <= 0.1 {
                raw
            } else {
                ((raw / step).round() * step).clamp(0.0, 100.0)
            }
        };
        let tech_score = expert(&mut rng) - if rng.gen_bool(0.1) { 25.0 } else { 0.0 };
        let smart_score = expert(&mut rng);
        let benefit = LogNormal::new(3.0_f64, 0.35)
            .expect("valid log-normal")
            .sample(&mut rng);
        let jobs = (eq / 40.0 * rng.gen_range(0.3..1.7)).round() as u64 + rng.gen_range(0..5);
        let thing = THINGS[rng.gen_range(0..THINGS.len())];
        let _ = writeln!(
            out,
            "P{i:0width$},年产{}{}项目,{enterprise},{industry},{jurisdiction},{rounds},{eq:.2},{tech:.2},{soft:.2},{patent},{class_a},{leader},{state_owned},{tech_score:.1},{benefit:.2},{jobs},{smart_score:.1}",
            KINDS[rng.gen_range(0..KINDS.len())],
            thing,
        );
    }
    out
}

/// A scenario file for `n` generated applications in `applications_file`: the bundled preset's
/// rules, with pools and round sizes scaled by n / 150 when `scale` is set (so a larger round stays
/// as competitive as the sample) or kept at the policy's values when not.
pub fn scenario(n: usize, applications_file: &str, scale: bool) -> String {
    let shape = Shape {
        scale,
        ..Shape::default()
    };
    scenario_shaped(n, applications_file, &shape)
}

/// The scenario for `n` applications of the given shape. With more industries than the
/// policy's, the rounds that list the key industries list every key industry of
/// `key_industries(shape.industries)` too, so the numbered ones stay eligible.
pub fn scenario_shaped(n: usize, applications_file: &str, shape: &Shape) -> String {
    let industries = shape.industries;
    let preset: &str = include_str!("../scenarios/quzhou-2019/scenario.toml");
    let mut value: toml::Table = toml::from_str(preset).expect("the bundled preset is valid TOML");
    let factor = if shape.scale {
        (n as f64 / 150.0).max(1.0)
    } else {
        1.0
    };
    if let Some(toml::Value::Array(pools)) = value.get_mut("pools") {
        for pool in pools {
            if let Some(toml::Value::String(budget)) = pool.get_mut("budget") {
                let yuan: f64 = budget.parse().unwrap_or(0.0);
                let scaled = (yuan * factor * shape.budget_factor / 1e6).round().max(1.0);
                *budget = format!("{:.0}", scaled * 1e6);
            }
        }
    }
    if let (Some(weights), Some(toml::Value::Array(criteria))) = (
        shape.weights,
        value.get_mut("scoring").and_then(|s| s.get_mut("criteria")),
    ) {
        for (criterion, weight) in criteria.iter_mut().zip(weights) {
            if let Some(table) = criterion.as_table_mut() {
                table.insert("weight".into(), weight.to_string().into());
            }
        }
    }
    if let Some(toml::Value::Array(rounds)) = value.get_mut("rounds") {
        for round in rounds {
            // The preset's floors are a committee's choice for its own applications; generated
            // applications may not meet them (too few eligible industries at small sizes), so
            // generated rounds have none and the bench figures stay comparable across sizes.
            if let Some(table) = round.as_table_mut() {
                table.remove("min_projects");
                table.remove("min_amount");
            }
            if let Some(toml::Value::Integer(max)) = round.get_mut("max_projects") {
                *max = ((*max as f64) * factor).round() as i64;
            }
            if shape.scale_groups {
                let limits = round
                    .get_mut("group_limits")
                    .and_then(toml::Value::as_array_mut);
                for limit in limits.into_iter().flatten() {
                    if let Some(toml::Value::Integer(max)) = limit.get_mut("max") {
                        *max = ((*max as f64) * factor).round().max(1.0) as i64;
                    }
                }
            }
            let listed = round
                .get_mut("eligibility")
                .and_then(|e| e.get_mut("industries"))
                .and_then(toml::Value::as_array_mut);
            if let Some(listed) = listed {
                for name in key_industries(industries)
                    .into_iter()
                    .skip(KEY_INDUSTRIES.len())
                {
                    listed.push(name.into());
                }
            }
        }
    }
    if let Some(toml::Value::Table(meta)) = value.get_mut("scenario") {
        meta.insert(
            "name".into(),
            format!("synthetic Quzhou-shaped round, {n} applications").into(),
        );
        meta.insert(
            "description".into(),
            "generated by allot; synthetic data".into(),
        );
    }
    if let Some(toml::Value::Table(apps)) = value.get_mut("applications") {
        apps.insert("file".into(), applications_file.into());
    }
    toml::to_string(&value).expect("a TOML table serializes")
}

/// Writes `scenario.toml` and `applications.csv` for `n` generated applications into `dir`
/// (for tests and benchmarks; the `generate` command writes atomically instead).
pub fn write(dir: &std::path::Path, n: usize, seed: u64, scale: bool) -> std::io::Result<()> {
    let shape = Shape {
        scale,
        ..Shape::default()
    };
    write_shaped(dir, n, seed, &shape)
}

/// Like `write`, for a round of the given shape.
pub fn write_shaped(
    dir: &std::path::Path,
    n: usize,
    seed: u64,
    shape: &Shape,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join("applications.csv"),
        applications_shaped(n, seed, shape),
    )?;
    std::fs::write(
        dir.join("scenario.toml"),
        scenario_shaped(n, "applications.csv", shape),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn bundled_sample_is_the_generator_output_for_seed_2019() {
        let bundled = include_str!("../scenarios/quzhou-2019/applications.csv");
        assert_eq!(
            super::applications(150, 2019),
            bundled,
            "regenerate with `allot generate -o DIR`"
        );
    }

    #[test]
    fn industries_spread_the_applications_and_stay_eligible() {
        let shape = |industries| super::Shape {
            industries,
            ..super::Shape::default()
        };
        let csv = super::applications_shaped(2000, 7, &shape(20));
        let used: std::collections::BTreeSet<&str> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(3).unwrap())
            .collect();
        assert_eq!(used.len(), 20, "{used:?}");
        assert!(used.contains("重点产业18"), "{used:?}");
        let text = super::scenario_shaped(2000, "a.csv", &shape(20));
        assert!(text.contains("\"重点产业18\""), "{text}");
        assert!(!text.contains("重点产业19"), "{text}");
        assert_eq!(
            super::applications_shaped(150, 2019, &shape(super::INDUSTRIES)),
            super::applications(150, 2019)
        );
        assert_eq!(
            super::applications_shaped(3000, 1, &shape(5))
                .lines()
                .skip(1)
                .map(|l| l.split(',').nth(3).unwrap())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            5
        );
    }

    #[test]
    fn generated_scenario_scales_pools_and_rounds() {
        let text = super::scenario(1500, "a.csv", true);
        assert!(text.contains("budget = \"300000000\""), "{text}");
        assert!(text.contains("max_projects = 200"), "{text}");
        let fixed = super::scenario(1500, "a.csv", false);
        assert!(fixed.contains("budget = \"30000000\""), "{fixed}");
    }

    /// Each knob changes what it says and nothing it does not.
    #[test]
    fn shape_knobs_do_what_they_say() {
        use super::{applications_shaped, scenario_shaped, Shape};
        let column = |csv: &str, k: usize| -> Vec<String> {
            csv.lines()
                .skip(1)
                .map(|l| l.split(',').nth(k).unwrap().to_string())
                .collect()
        };
        // Whole 5-point marks: both expert columns are multiples of 5.
        let ties = applications_shaped(
            600,
            3,
            &Shape {
                score_step: 5.0,
                ..Shape::default()
            },
        );
        for k in [13, 16] {
            for v in column(&ties, k) {
                let v: f64 = v.parse().unwrap();
                assert_eq!(v % 5.0, 0.0, "column {k}: {v}");
            }
        }
        // No spread: every smart score is the same.
        let flat = applications_shaped(
            200,
            3,
            &Shape {
                score_spread: 0.0,
                ..Shape::default()
            },
        );
        let smart: std::collections::BTreeSet<String> = column(&flat, 16).into_iter().collect();
        assert_eq!(smart.len(), 1, "{smart:?}");
        // Two-round shares: none at 0; at 0.5 all across pools, half the applications in two rounds.
        let none = applications_shaped(
            1000,
            3,
            &Shape {
                two_rounds: 0.0,
                ..Shape::default()
            },
        );
        assert!(column(&none, 5).iter().all(|r| !r.contains(';')));
        let across = Shape {
            two_rounds: 0.5,
            cross_pool: 1.0,
            ..Shape::default()
        };
        let rounds = column(&applications_shaped(4000, 3, &across), 5);
        assert!(!rounds.iter().any(|r| r == "intelligent;major"));
        let two = rounds.iter().filter(|r| *r == "major;upgrade").count();
        assert!((1800..2200).contains(&two), "{two} of 4000");
        // Budgets and group limits.
        let half = scenario_shaped(
            1500,
            "a.csv",
            &Shape {
                budget_factor: 0.5,
                ..Shape::default()
            },
        );
        assert!(half.contains("budget = \"150000000\""), "{half}");
        let groups = scenario_shaped(
            1500,
            "a.csv",
            &Shape {
                scale_groups: true,
                ..Shape::default()
            },
        );
        assert!(groups.contains("max = 10"), "{groups}");
        assert!(!scenario_shaped(1500, "a.csv", &Shape::default()).contains("max = 10"));
        // A committee's weights, in the preset's order of criteria; the preset's by default.
        let weights = ["0.30", "0.35", "0.20", "0.15"].map(|w| w.parse().unwrap());
        let toml = scenario_shaped(
            1500,
            "a.csv",
            &Shape {
                weights: Some(weights),
                ..Shape::default()
            },
        );
        let scenario: toml::Table = toml::from_str(&toml).unwrap();
        let stated = |scenario: &toml::Table| -> Vec<(String, String)> {
            scenario["scoring"]["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    (
                        c["id"].as_str().unwrap().into(),
                        c["weight"].as_str().unwrap().into(),
                    )
                })
                .collect()
        };
        let pairs = |list: [(&str, &str); 4]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            stated(&scenario),
            pairs([
                ("tech", "0.30"),
                ("benefit", "0.35"),
                ("jobs", "0.20"),
                ("smart", "0.15")
            ])
        );
        let preset: toml::Table =
            toml::from_str(&scenario_shaped(1500, "a.csv", &Shape::default())).unwrap();
        assert_eq!(
            stated(&preset),
            pairs([
                ("tech", "0.35"),
                ("benefit", "0.30"),
                ("jobs", "0.15"),
                ("smart", "0.20")
            ])
        );
    }
}
