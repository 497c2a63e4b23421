-- Personal data (domain.md §10): phone, ID-card and bank-card numbers are
-- shown masked wherever a person does not need them.  The raw numbers are
-- the data source custvalue.customer_identity, readable only by members of
-- custvalue_pii (see 990_privileges.sql); everyone else reads the *_masked
-- columns of custvalue.customer.  In the reference tables the masks are
-- generated columns, computed once on write, and custvalue_reader holds
-- SELECT on every column but the raw ones, so the privilege system, not a
-- view's good manners, is what keeps the numbers hidden.

CREATE FUNCTION @extschema@.mask_phone(phone text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mask_phone(text) IS
'Masked phone number: first 3 and last 4 digits kept, one * per other digit (13912341234 -> 139****1234).  Separators (space - . / parentheses) are kept; 8-10 digits show only the last 4, fewer show nothing.';

CREATE FUNCTION @extschema@.mask_id_card(id_card text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mask_id_card(text) IS
'Masked resident ID-card number: first 4 (province and city) and last 4 characters kept, the birth date and sequence hidden (43010219900101123X -> 4301**********123X).  Fewer than 15 characters show nothing.';

CREATE FUNCTION @extschema@.mask_bank_card(bank_card text) RETURNS text
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mask_bank_card(text) IS
'Masked bank-card number: first 6 (issuer) and last 4 digits kept, as PCI DSS allows at most (6222021234567890123 -> 622202*********0123).  12-15 digits show only the last 4, fewer show nothing.';

COMMENT ON COLUMN @extschema@.customer_identity.phone IS
'Mobile number (personal data: readable only by custvalue_pii; others read phone_masked).';
COMMENT ON COLUMN @extschema@.customer_identity.id_card IS
'Resident ID-card number (personal data: readable only by custvalue_pii; others read id_card_masked).';
COMMENT ON COLUMN @extschema@.customer_identity.bank_card IS
'Bank card for direct debit (personal data: readable only by custvalue_pii; others read bank_card_masked).';
COMMENT ON COLUMN @extschema@.customer.phone_masked IS 'mask_phone(phone): a generated column in the reference tables, derived from the bound relation''s phone otherwise.';
COMMENT ON COLUMN @extschema@.customer.id_card_masked IS 'mask_id_card(id_card): a generated column in the reference tables, derived from the bound relation''s id_card otherwise.';
COMMENT ON COLUMN @extschema@.customer.bank_card_masked IS 'mask_bank_card(bank_card): a generated column in the reference tables, derived from the bound relation''s bank_card otherwise.';

-- Who the customer is, with the numbers masked: what front-line staff and
-- reports use.
CREATE VIEW @extschema@.customer_directory WITH (security_invoker = true) AS
SELECT c.customer_id,
       c.region,
       c.brand,
       c.vip_card,
       c.status,
       c.phone_masked AS phone,
       c.id_card_masked AS id_card,
       c.bank_card_masked AS bank_card,
       c.account_manager,
       c.phone_manager
  FROM @extschema@.customer c;
COMMENT ON VIEW @extschema@.customer_directory IS
'Customers with phone, ID-card and bank-card numbers masked (mask_phone, mask_id_card, mask_bank_card).  Readable by custvalue_reader; row-level security on custvalue.customer applies (security_invoker).';

-- The full numbers, for the few who need them: custvalue.customer_contact,
-- each read recorded (910_pii_audit.sql).
