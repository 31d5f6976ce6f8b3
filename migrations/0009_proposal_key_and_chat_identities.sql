CREATE TABLE "chat_identities" (
	"id" serial PRIMARY KEY NOT NULL,
	"platform" text NOT NULL,
	"tenant" text DEFAULT '' NOT NULL,
	"external_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approvals" ADD COLUMN "proposal_key" text;--> statement-breakpoint
ALTER TABLE "chat_identities" ADD CONSTRAINT "chat_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "chat_identities_uq" ON "chat_identities" USING btree ("platform","tenant","external_id");--> statement-breakpoint
CREATE INDEX "chat_identities_user_idx" ON "chat_identities" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_pending_proposal_uq" ON "approvals" USING btree ("proposal_key") WHERE status = 'pending';