CREATE TABLE "conversation_turns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" text NOT NULL,
	"channel" text NOT NULL,
	"user_email" text,
	"text" text NOT NULL,
	"planner" text NOT NULL,
	"plan" jsonb NOT NULL,
	"agents" jsonb NOT NULL,
	"reply" jsonb NOT NULL,
	"tokens" jsonb,
	"duration_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "conversation_turns_conversation_idx" ON "conversation_turns" USING btree ("conversation_id","created_at");