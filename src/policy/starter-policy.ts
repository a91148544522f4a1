/**
 * What `shipgate init` writes: a short, valid file that overrides nothing yet but shows, in comments,
 * the parts teams change first. Everything not written here comes from the built-in policy.
 */
export const STARTER_POLICY = `# yaml-language-server: $schema=./node_modules/shipgate/schema/shipgate.schema.json
#
# shipgate policy. This file only overrides the built-in policy (the 7D Solutions release policy);
# see every key with \`shipgate policy show\`, validate with \`shipgate policy check\`.
version: 1
organization: 7D Solutions Platform
timezone: America/Los_Angeles

# Release trains: RFC 5545 recurrence rules, wall-clock times in the time zone above.
# trains:
#   module:
#     cadence: { rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", start: "2026-01-06T10:00" }
#   platform:
#     cadence: { rrule: "FREQ=MONTHLY;BYDAY=1TU", start: "2026-01-06T10:00" }
#   product:
#     cadence: { rrule: "FREQ=MONTHLY;BYDAY=2TU", start: "2026-01-13T10:00" }

# Periods without releases: skip them, or move them to the next/previous allowed week.
# blackouts:
#   - name: year-end
#     from: "2026-12-21"
#     to: "2027-01-04"
#     action: next        # skip | next | previous

# Code freeze: starts 2 days before a release; only these Conventional Commit types may merge.
# freeze:
#   before: 2d
#   allow: [fix]

# Who approves: tech leads, product team and architecture reviewers (module owners come from CODEOWNERS).
# roles:
#   tech-lead: { members: ["alice@example.com"] }
#   product-team: { members: ["pat@example.com"] }
#   architecture-review: { members: ["rene@example.com"] }

# Automatic rollback triggers.
# rollback:
#   automatic:
#     errorRate: { above: 0.05 }
#     latency: { aboveBaselineFactor: 2 }
`;
