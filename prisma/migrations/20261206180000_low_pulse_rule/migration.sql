-- The rule on a hire's low onboarding pulse joins the rule set in force as its next version (a fresh
-- deployment starts with it in version 1).
INSERT INTO "risk_rule_set" ("version", "rules")
SELECT "version" + 1, "rules" || '{"lowPulse": {"weight": 20, "atMost": 2}}'::jsonb
FROM "risk_rule_set" ORDER BY "version" DESC LIMIT 1;
