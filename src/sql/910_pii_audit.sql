-- Who read personal data unmasked (domain.md §10: audits).  The PII path,
-- custvalue.customer_contact, passes every number it shows through
-- custvalue.reveal(), which records the reader, the time, the customer, the
-- number and the purpose the reader declared (SET custvalue.pii_purpose) in
-- the operator's table pii_access (create_records_model(), 700).  The
-- record errs on the side of the customer: reveal() is volatile, so the
-- view is not merged into the query that reads it, and every row the view
-- produces has its three numbers computed and recorded, whether the outer
-- query shows them or not (a count(*) over the whole view records every
-- customer's numbers).  Read only the customers you need:
-- WHERE customer_id = ... is applied before the numbers are computed.
-- What this cannot see: a role that reads the bound table's raw columns
-- directly (custvalue_pii holds SELECT on them, as the view checks the
-- caller's privileges); audit those with pgaudit, or keep the raw columns
-- from everyone but the view's users.
-- New in 1.3.

CREATE FUNCTION @extschema@.reveal(customer_id bigint, field text, value text) RETURNS text
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF value IS NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('INSERT INTO %s (customer_id, field, purpose) VALUES ($1, $2, $3)',
                   @extschema@.source_target('pii_access'))
      USING customer_id, field, nullif(current_setting('custvalue.pii_purpose', true), '');
    RETURN value;
END;
$$;
COMMENT ON FUNCTION @extschema@.reveal(bigint, text, text) IS
'Returns value (a personal number of the customer) and records the read in custvalue.pii_access: session and current role, time, customer, field, and the purpose set in custvalue.pii_purpose.  NULL reveals nothing and records nothing.  The caller needs INSERT on the pii_access table (custvalue_pii has it).';

CREATE OR REPLACE VIEW @extschema@.customer_contact WITH (security_invoker = true) AS
SELECT c.customer_id,
       c.region,
       @extschema@.reveal(c.customer_id, 'phone', i.phone) AS phone,
       @extschema@.reveal(c.customer_id, 'id_card', i.id_card) AS id_card,
       @extschema@.reveal(c.customer_id, 'bank_card', i.bank_card) AS bank_card
  FROM @extschema@.customer c
  JOIN @extschema@.customer_identity i USING (customer_id);
COMMENT ON VIEW @extschema@.customer_contact IS
'Unmasked phone, ID-card and bank-card numbers.  Readable only by members of custvalue_pii; row-level security on custvalue.customer applies.  Every number of every row the view produces is recorded in custvalue.pii_access (custvalue.reveal), so filter by customer_id; say why first: SET custvalue.pii_purpose = ''identity check at the hall''.';
