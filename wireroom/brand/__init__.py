"""The wire's brand and wording per language: its name, address and sender, the sectors line, the disclaimers
and the boilerplate, stored in the database and edited in the console. Empty fields fall back to the settings
and the gettext catalogs, so a fresh wire speaks as before."""
