-- Comments on any flow, with attachments stored in the deployment's attachments folder
CREATE TABLE "flow_comment" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "author_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flow_comment_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "flow_comment_flow_id_created_at_idx" ON "flow_comment"("flow_id", "created_at");

CREATE TABLE "attachment" (
    "id" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "uploader_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "comment_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attachment_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "attachment_flow_id_idx" ON "attachment"("flow_id");
CREATE INDEX "attachment_comment_id_idx" ON "attachment"("comment_id");
ALTER TABLE "attachment" ADD CONSTRAINT "attachment_comment_id_fkey" FOREIGN KEY ("comment_id") REFERENCES "flow_comment"("id") ON DELETE SET NULL ON UPDATE CASCADE;
