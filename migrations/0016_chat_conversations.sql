CREATE TABLE "chat_contacts" (
	"platform" text NOT NULL,
	"external_id" text NOT NULL,
	"address" text,
	"personal_conversation_id" text,
	"last_conversation_id" text,
	"user_id" uuid,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_contacts_platform_external_id_pk" PRIMARY KEY("platform","external_id")
);
--> statement-breakpoint
CREATE TABLE "chat_conversations" (
	"platform" text NOT NULL,
	"conversation_id" text NOT NULL,
	"conversation_type" text NOT NULL,
	"reference" jsonb NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chat_conversations_platform_conversation_id_pk" PRIMARY KEY("platform","conversation_id")
);
--> statement-breakpoint
ALTER TABLE "chat_contacts" ADD CONSTRAINT "chat_contacts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chat_contacts_user_idx" ON "chat_contacts" USING btree ("platform","user_id");