//! Significance tests: the two-proportion z-test for rates and Welch's t-test for means, with
//! the normal and Student-t distribution functions they need (no statistics crate: these are a
//! few dozen lines and keep the wasm small).

use serde::Serialize;

/// The outcome of a test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestResult {
    /// Test statistic (z or t).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// Degrees of freedom (Welch), `None` for z.
    pub df: Option<f64>,
}

/// Complementary error function, |relative error| < 1.2e-7 (Numerical Recipes' Chebyshev fit).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// Standard normal distribution function Φ(x).
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7).
pub fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// Continued fraction of the incomplete beta function (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..300 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < tiny { tiny } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < tiny { tiny } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

/// Regularized incomplete beta I_x(a, b).
pub fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_bt = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let bt = ln_bt.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        bt * beta_cf(a, b, x) / a
    } else {
        1.0 - bt * beta_cf(b, a, 1.0 - x) / b
    }
}

/// Two-sided p-value of Student's t with `df` degrees of freedom: P(|T| ≥ |t|).
pub fn t_two_sided(t: f64, df: f64) -> f64 {
    inc_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// Two-proportion z-test (pooled) of `x1/n1` against `x2/n2`. `None` when a sample is empty or
/// the pooled rate is 0 or 1 (no variance: nothing to test).
pub fn two_proportion(x1: f64, n1: f64, x2: f64, n2: f64) -> Option<TestResult> {
    if n1 <= 0.0 || n2 <= 0.0 {
        return None;
    }
    let p = (x1 + x2) / (n1 + n2);
    let se = (p * (1.0 - p) * (1.0 / n1 + 1.0 / n2)).sqrt();
    // Also NaN: no variance to test against.
    if se.is_nan() || se <= 0.0 {
        return None;
    }
    let z = (x2 / n2 - x1 / n1) / se;
    Some(TestResult {
        statistic: z,
        p_value: (2.0 * (1.0 - normal_cdf(z.abs()))).clamp(0.0, 1.0),
        df: None,
    })
}

/// Welch's t-test of mean `m2` against `m1` from counts, means and sample variances. `None`
/// below two observations per sample or without variance.
pub fn welch(n1: f64, m1: f64, v1: f64, n2: f64, m2: f64, v2: f64) -> Option<TestResult> {
    if n1 < 2.0 || n2 < 2.0 {
        return None;
    }
    let (a, b) = (v1 / n1, v2 / n2);
    let se = (a + b).sqrt();
    // Also NaN: no variance to test against.
    if se.is_nan() || se <= 0.0 {
        return None;
    }
    let t = (m2 - m1) / se;
    let df = (a + b).powi(2) / (a * a / (n1 - 1.0) + b * b / (n2 - 1.0));
    Some(TestResult {
        statistic: t,
        p_value: t_two_sided(t, df).clamp(0.0, 1.0),
        df: Some(df),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distribution_functions_match_tables() {
        // Φ(1.96) = 0.9750021; Φ(0) = 0.5; Φ(−1) = 0.1586553.
        assert!((normal_cdf(1.96) - 0.975_002_1).abs() < 1e-6);
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(-1.0) - 0.158_655_3).abs() < 1e-6);
        // Γ(5) = 24.
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        // t = 2.228 with 10 df is the two-sided 5 % critical value; t = 1 with 1 df: p = 0.5.
        assert!((t_two_sided(2.228_138_85, 10.0) - 0.05).abs() < 1e-6);
        assert!((t_two_sided(1.0, 1.0) - 0.5).abs() < 1e-9);
    }

    #[test]
    fn z_and_welch_by_hand() {
        // 45/100 vs 60/100: pooled p = 0.525, se = √(0.525·0.475·0.02) = 0.0706222;
        // z = 0.15 / 0.0706222 = 2.12398; p = 2(1 − Φ(2.12398)) = 0.03367.
        let r = two_proportion(45.0, 100.0, 60.0, 100.0).unwrap();
        assert!((r.statistic - 2.123_98).abs() < 1e-4, "{r:?}");
        assert!((r.p_value - 0.033_67).abs() < 1e-4, "{r:?}");
        assert!(two_proportion(0.0, 10.0, 0.0, 10.0).is_none());
        // n 10 and 10, means 5 and 6, variances 1 and 1: t = 1/√0.2 = 2.23607, df = 18;
        // p(|T18| ≥ 2.23607) = 0.0382.
        let w = welch(10.0, 5.0, 1.0, 10.0, 6.0, 1.0).unwrap();
        assert!((w.statistic - 2.236_07).abs() < 1e-4);
        assert!((w.df.unwrap() - 18.0).abs() < 1e-9);
        assert!((w.p_value - 0.0382).abs() < 5e-4, "{w:?}");
    }
}
