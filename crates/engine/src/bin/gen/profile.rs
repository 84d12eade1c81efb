//! Per-channel behaviour of the simulated contact center, and the dimension vocabularies.

use omnikpi_engine::Channel;

/// How contacts of one channel behave.
pub struct Profile {
    /// Channel.
    pub channel: Channel,
    /// Share of new cases that start on this channel.
    pub share: f64,
    /// Share handled first by a bot or IVR.
    pub bot: f64,
    /// Median wait for a human, seconds, on an average day.
    pub wait: f64,
    /// Median handling time (talk, hold and after-contact work), seconds.
    pub handle: f64,
    /// Mean patience of a waiting customer (synchronous channels); `None`: nobody abandons.
    pub patience: Option<f64>,
    /// Share of contacts that answer the survey.
    pub survey: f64,
    /// Share that carry a sentiment score.
    pub sentiment: f64,
    /// Waits count only opening hours (asynchronous channels queue overnight).
    pub queues_overnight: bool,
}

#[allow(clippy::too_many_arguments)]
const fn p(
    channel: Channel,
    share: f64,
    bot: f64,
    wait: f64,
    handle: f64,
    patience: Option<f64>,
    survey: f64,
    sentiment: f64,
) -> Profile {
    Profile {
        channel,
        share,
        bot,
        wait,
        handle,
        patience,
        survey,
        sentiment,
        queues_overnight: patience.is_none(),
    }
}

/// Every channel of the catalog.
pub const PROFILES: [Profile; 8] = [
    p(
        Channel::Voice,
        0.30,
        0.45,
        24.0,
        420.0,
        Some(420.0),
        0.14,
        0.0,
    ),
    p(
        Channel::Chat,
        0.20,
        0.60,
        30.0,
        600.0,
        Some(600.0),
        0.22,
        0.3,
    ),
    p(
        Channel::Email,
        0.17,
        0.0,
        2.5 * 3600.0,
        540.0,
        None,
        0.18,
        0.0,
    ),
    p(
        Channel::Social,
        0.08,
        0.0,
        40.0 * 60.0,
        300.0,
        None,
        0.10,
        0.9,
    ),
    p(
        Channel::Messaging,
        0.10,
        0.50,
        4.0 * 60.0,
        480.0,
        Some(3600.0),
        0.20,
        0.3,
    ),
    p(
        Channel::Sms,
        0.05,
        0.20,
        12.0 * 60.0,
        240.0,
        None,
        0.12,
        0.0,
    ),
    p(
        Channel::Web,
        0.09,
        0.0,
        4.0 * 3600.0,
        500.0,
        None,
        0.15,
        0.0,
    ),
    p(
        Channel::Other,
        0.01,
        0.0,
        90.0,
        300.0,
        Some(600.0),
        0.10,
        0.0,
    ),
];

/// Topics with their weights and how hard they are to resolve (subtracted from the base rate).
pub const TOPICS: [(&str, f64, f64); 8] = [
    ("billing", 22.0, 0.05),
    ("technical issue", 20.0, 0.15),
    ("delivery", 15.0, 0.05),
    ("account", 12.0, 0.02),
    ("contract", 9.0, 0.08),
    ("product info", 10.0, 0.0),
    ("complaint", 7.0, 0.2),
    ("cancellation", 5.0, 0.1),
];

/// Customer segments and weights.
pub const SEGMENTS: [(&str, f64); 3] = [("consumer", 70.0), ("business", 22.0), ("vip", 8.0)];

/// Regions and weights.
pub const REGIONS: [(&str, f64); 4] = [
    ("north", 30.0),
    ("south", 25.0),
    ("east", 20.0),
    ("west", 25.0),
];

/// Priorities and weights.
pub const PRIORITIES: [(&str, f64); 4] = [
    ("low", 20.0),
    ("normal", 55.0),
    ("high", 20.0),
    ("urgent", 5.0),
];

/// The weights of a vocabulary.
pub fn weights<T>(v: &[(T, f64)]) -> Vec<f64> {
    v.iter().map(|x| x.1).collect()
}
