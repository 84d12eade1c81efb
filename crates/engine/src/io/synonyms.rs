//! Names foreign exports use for canonical channels and fields.

use crate::model::Channel;

/// The canonical channel of a foreign channel name (`Phone` → voice, `Social media` → social).
pub fn channel_synonym(s: &str) -> Option<Channel> {
    let k: String = crate::text::lower(s.trim())
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    let c = match k.as_str() {
        "voice" | "phone" | "call" | "calls" | "telephone" | "telephony" | "inbound" | "ivr"
        | "callcenter" => Channel::Voice,
        "chat" | "livechat" | "webchat" | "chatbot" => Channel::Chat,
        "email" | "mail" | "emails" => Channel::Email,
        "social" | "socialmedia" | "twitter" | "x" | "facebook" | "instagram" | "linkedin"
        | "tiktok" => Channel::Social,
        "messaging" | "whatsapp" | "messenger" | "telegram" | "wechat" | "imessage" => {
            Channel::Messaging
        }
        "sms" | "text" | "textmessage" => Channel::Sms,
        "web" | "webform" | "form" | "contactform" | "portal" | "website" => Channel::Web,
        "other" => Channel::Other,
        _ => return None,
    };
    Some(c)
}

/// Lower-case alphanumeric form of a column name, for matching (`"Call Id"` → `"callid"`).
pub fn normalize(s: &str) -> String {
    crate::text::lower(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Normalized column names that mean a canonical field, best first.
pub fn field_synonyms(field: &str) -> &'static [&'static str] {
    match field {
        "id" => &[
            "id",
            "callid",
            "ticketid",
            "contactid",
            "interactionid",
            "caseid_",
            "conversationid",
        ],
        "case_id" => &["caseid", "case", "journeyid", "issueid"],
        "customer_id" => &[
            "customerid",
            "customer",
            "customeremail",
            "clientid",
            "email",
            "accountid",
        ],
        "channel" => &[
            "channel",
            "ticketchannel",
            "medium",
            "source",
            "contactchannel",
        ],
        "arrived_at" => &[
            "arrivedat",
            "arrival",
            "createdat",
            "created",
            "datetime",
            "timestamp",
            "starttime",
            "date",
            "opened",
            "openedat",
        ],
        "first_response_s" => &[
            "firstresponses",
            "speedofanswerinseconds",
            "speedofanswer",
            "asa",
            "waittime",
            "firstresponse",
            "queuetime",
        ],
        "abandoned" => &["abandoned", "isabandoned"],
        "handle_s" => &[
            "handles",
            "handletime",
            "aht",
            "avgtalkduration",
            "talktime",
            "talkduration",
            "duration",
            "handlingtime",
        ],
        "closed_at" => &[
            "closedat",
            "closed",
            "resolvedat",
            "endtime",
            "timetoresolution",
        ],
        "resolved" => &["resolved", "isresolved", "resolution"],
        "agent_id" => &["agentid", "agent", "agentname", "assignee", "owner"],
        "team" => &["team", "group", "queue"],
        "topic" => &[
            "topic",
            "subject",
            "ticketsubject",
            "category",
            "reason",
            "tickettype",
        ],
        "segment" => &["segment", "customersegment", "tier"],
        "region" => &["region", "country", "market"],
        "priority" => &["priority", "ticketpriority", "severity"],
        "csat" => &[
            "csat",
            "satisfaction",
            "satisfactionrating",
            "customersatisfactionrating",
            "rating",
        ],
        "nps" => &["nps", "recommend", "likelihoodtorecommend"],
        "ces" => &["ces", "effort", "customereffort"],
        "transfers" => &["transfers", "transfercount"],
        "cost" => &["cost"],
        "revenue" => &["revenue", "sales"],
        "sentiment" => &["sentiment", "sentimentscore"],
        _ => &[],
    }
}
