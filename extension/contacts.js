// Whom a user should contact, for the help page: the organisation's own contact and the police
// unit its policy names (none: the pages show the nationwide police contact). Read from the
// policy in force; nothing leaves the machine.

/** Handlers for the worker's router. `policy()` is the effective policy as JSON, `language()` the
 * pages' language, `allowed(sender, page)` checks who is asking. */
export function contactHandlers({ policy, language, allowed }) {
  return {
    async contacts(message, sender) {
      if (!allowed(sender, 'help.html')) return { error: 'not allowed' };
      const p = policy();
      return { contact: p.reportContact ?? null, police: p.policeContact ?? null, lang: language() };
    },
  };
}
