/*
 * mask.c
 *		Masking of personal numbers: phone, ID-card and bank-card numbers.
 *
 * domain.md §10 (Personal Information Protection Law): wherever a person does
 * not need the full number, show only enough of it to recognise it.  Each
 * function keeps a fixed number of leading and trailing characters and puts
 * one '*' in place of every other character:
 *
 *		mask_phone('13912341234')			 -> 139****1234  (3 + 4 kept)
 *		mask_id_card('43010219900101123X')	 -> 4301**********123X  (4 + 4)
 *		mask_bank_card('6222021234567890123') -> 622202*********0123  (6 + 4,
 *											   PCI DSS's most)
 *
 * Separators (space, '-', '.', '/', parentheses) are kept where they are and
 * are not counted, so '139-1234-1234' becomes '139-****-1234'.  Any other
 * character, multibyte ones included, counts as one character of the number.
 * A value shorter than a well-formed number has only its tail shown, or
 * nothing, so a short or malformed value never comes out more revealing than
 * a well-formed one.
 */
#include "custvalue.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

typedef struct MaskRule
{
	int			min_len_head;	/* length from which the head is shown */
	int			head;			/* characters kept at the start */
	int			min_len_tail;	/* length from which the tail is shown */
	int			tail;			/* characters kept at the end */
} MaskRule;

static const MaskRule phone_rule = {11, 3, 8, 4};
static const MaskRule id_card_rule = {15, 4, 15, 4};
static const MaskRule bank_card_rule = {16, 6, 12, 4};

/* Length of the character at p, never reaching past end. */
static inline int
char_len(const char *p, const char *end)
{
	int			l = pg_mblen(p);

	return l < end - p ? l : end - p;
}

static inline bool
is_separator(const char *p)
{
	return *p == ' ' || *p == '-' || *p == '.' || *p == '/' ||
		*p == '(' || *p == ')';
}

/*
 * Mask str (len bytes, server encoding) by rule into a new palloc'd text.
 * The result is never longer than the input: a kept character is copied,
 * a hidden one becomes a single byte '*'.
 */
static text *
mask_text(const char *str, int len, const MaskRule *rule)
{
	const char *end = str + len;
	const char *p;
	int			nchars = 0;
	int			head,
				tail,
				i;
	text	   *result;
	char	   *out;

	for (p = str; p < end; p += char_len(p, end))
		if (!is_separator(p))
			nchars++;

	head = nchars >= rule->min_len_head ? rule->head : 0;
	tail = nchars >= rule->min_len_tail ? rule->tail : 0;

	result = (text *) palloc(VARHDRSZ + len);
	out = VARDATA(result);
	i = 0;
	for (p = str; p < end;)
	{
		int			l = char_len(p, end);

		if (is_separator(p) || i < head || i >= nchars - tail)
		{
			memcpy(out, p, l);
			out += l;
		}
		else
			*out++ = '*';
		if (!is_separator(p))
			i++;
		p += l;
	}
	SET_VARSIZE(result, out - (char *) result);
	return result;
}

static Datum
mask_datum(text *value, const MaskRule *rule)
{
	PG_RETURN_TEXT_P(mask_text(VARDATA_ANY(value), VARSIZE_ANY_EXHDR(value), rule));
}

PG_FUNCTION_INFO_V1(mask_phone);
Datum
mask_phone(PG_FUNCTION_ARGS)
{
	return mask_datum(PG_GETARG_TEXT_PP(0), &phone_rule);
}

PG_FUNCTION_INFO_V1(mask_id_card);
Datum
mask_id_card(PG_FUNCTION_ARGS)
{
	return mask_datum(PG_GETARG_TEXT_PP(0), &id_card_rule);
}

PG_FUNCTION_INFO_V1(mask_bank_card);
Datum
mask_bank_card(PG_FUNCTION_ARGS)
{
	return mask_datum(PG_GETARG_TEXT_PP(0), &bank_card_rule);
}
