//! The contact channel enum of the canonical model.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A channel a contact arrived on. Stored as one byte per contact.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Channel {
    /// Phone calls.
    Voice = 0,
    /// Live chat.
    Chat,
    /// Email.
    Email,
    /// Social media.
    Social,
    /// Messaging apps (WhatsApp, Messenger, ...).
    Messaging,
    /// Text messages.
    Sms,
    /// Web forms.
    Web,
    /// Anything else; unknown channels load as `other` with a warning.
    Other,
}

impl Channel {
    /// Every channel, in catalog order.
    pub const ALL: [Channel; 8] = [
        Channel::Voice,
        Channel::Chat,
        Channel::Email,
        Channel::Social,
        Channel::Messaging,
        Channel::Sms,
        Channel::Web,
        Channel::Other,
    ];

    /// Number of channels.
    pub const COUNT: usize = 8;

    /// The canonical lowercase id (`voice`, `chat`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Voice => "voice",
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Social => "social",
            Channel::Messaging => "messaging",
            Channel::Sms => "sms",
            Channel::Web => "web",
            Channel::Other => "other",
        }
    }

    /// Parses a canonical id, case-insensitively and ignoring surrounding blanks.
    /// Returns `None` for anything that is not a canonical id; mappings translate foreign names first.
    pub fn parse(s: &str) -> Option<Channel> {
        let t = s.trim();
        Channel::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(t))
    }

    /// The channel with this index (`as usize`), if any.
    pub fn from_index(i: usize) -> Option<Channel> {
        Channel::ALL.get(i).copied()
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_is_case_insensitive_and_rejects_unknown() {
        assert_eq!(Channel::parse(" Voice "), Some(Channel::Voice));
        assert_eq!(Channel::parse("SMS"), Some(Channel::Sms));
        assert_eq!(Channel::parse("phone"), None);
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
            assert_eq!(Channel::from_index(c as usize), Some(c));
        }
    }
}
