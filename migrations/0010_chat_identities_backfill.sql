-- Custom SQL migration file, put your code below! --
-- Slack and Teams identities move from users.slack_user_id / users.teams_aad_object_id into chat_identities
-- (tenant unknown: ''). The old columns stay, unread, until a later migration drops them. Idempotent.
INSERT INTO "chat_identities" ("platform", "tenant", "external_id", "user_id")
SELECT 'slack', '', btrim("slack_user_id"), "id" FROM "users" WHERE coalesce(btrim("slack_user_id"), '') <> ''
ON CONFLICT ("platform", "tenant", "external_id") DO NOTHING;
--> statement-breakpoint
INSERT INTO "chat_identities" ("platform", "tenant", "external_id", "user_id")
SELECT 'teams', '', lower(btrim("teams_aad_object_id")), "id" FROM "users" WHERE coalesce(btrim("teams_aad_object_id"), '') <> ''
ON CONFLICT ("platform", "tenant", "external_id") DO NOTHING;
