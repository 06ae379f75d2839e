ALTER TABLE "jobs" ADD COLUMN "reply_message_ids" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "final_written_at" timestamp with time zone;