-- The audit trail is append-only: rows may be inserted, never updated or deleted.
-- A retried audit write must therefore be an INSERT ... ON CONFLICT ("key") DO NOTHING
-- (Prisma: createMany with skipDuplicates), not an upsert, which would try to UPDATE.

-- CreateFunction
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP;
END;
$$;

-- CreateTrigger
CREATE TRIGGER "audit_event_append_only"
BEFORE UPDATE OR DELETE ON "audit_event"
FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();
