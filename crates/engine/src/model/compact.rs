//! Releasing the memory a finished contacts table no longer needs.

use super::contacts::Contacts;

impl Contacts {
    /// Releases spare capacity of every column and drops the dictionaries' hash indexes
    /// (see [`super::Dict::freeze`]). Called by [`Contacts::finish`].
    pub fn shrink(&mut self) {
        self.ids.shrink();
        self.case.shrink_to_fit();
        self.case_names.shrink();
        self.channel.shrink_to_fit();
        self.arrived.shrink_to_fit();
        self.flags.shrink_to_fit();
        self.transfers.shrink_to_fit();
        for c in [
            &mut self.first_response,
            &mut self.handle,
            &mut self.close_after,
            &mut self.handoff,
            &mut self.cost,
            &mut self.revenue,
            &mut self.sentiment,
        ] {
            c.shrink();
        }
        for c in [&mut self.csat, &mut self.nps, &mut self.ces] {
            c.shrink();
        }
        for c in self.qa.iter_mut() {
            c.shrink();
        }
        for d in self.dims.iter_mut() {
            d.codes.shrink();
            d.dict.freeze();
        }
    }
}
