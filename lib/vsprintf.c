/*
 * vsnprintf for the kernel: the C conversions a kernel needs (integers,
 * characters, strings, pointers), with flags, width, precision and
 * length modifiers, and C's return value (the length it would have
 * written). No floating point: the kernel is built without FP registers.
 */
#include "sprintf.h"
#include "string.h"

#define FL_LEFT 0x01 /* '-': pad on the right */
#define FL_ZERO 0x02 /* '0': pad numbers with zeros */
#define FL_SPACE 0x04 /* ' ': a space where a '+' would go */
#define FL_PLUS 0x08 /* '+': always print the sign */
#define FL_ALT 0x10 /* '#': 0x / leading 0 */
#define FL_UPPER 0x20 /* %X */

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE };

struct spec {
	unsigned int flags;
	int width;
	int precision; /* -1: none given */
	enum length len;
};

/* Where output goes: bytes past size - 1 are counted, not stored. */
struct sink {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct sink *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct sink *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct sink *o, const char *s, size_t n)
{
	while (n--)
		put(o, *s++);
}

/* Digits of v in base, least significant first; returns their count. */
static int to_digits(char *tmp, unsigned long long v, unsigned int base,
		     bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

/*
 * Lay out [pad][sign/prefix][zeros][digits][pad] the way C does: the
 * precision is the minimum digit count (and 0 prints nothing for 0);
 * the '0' flag fills the width with zeros unless a precision or '-'
 * was given.
 */
static void put_number(struct sink *o, unsigned long long v, bool negative,
		       unsigned int base, const struct spec *sp)
{
	char tmp[24];
	const char *prefix = "";
	int ndigits = 0, zeros = 0, plen, pad;

	if (negative)
		prefix = "-";
	else if (sp->flags & FL_PLUS)
		prefix = "+";
	else if (sp->flags & FL_SPACE)
		prefix = " ";

	if (v || sp->precision != 0)
		ndigits = to_digits(tmp, v, base, sp->flags & FL_UPPER);
	if (sp->flags & FL_ALT) {
		if (base == 16 && v)
			prefix = (sp->flags & FL_UPPER) ? "0X" : "0x";
		else if (base == 8 && (v || !ndigits) &&
			 sp->precision <= ndigits)
			zeros = 1; /* octal "#": the first digit is 0 */
	}
	if (sp->precision > ndigits)
		zeros = sp->precision - ndigits;

	plen = (int)strlen(prefix);
	pad = sp->width - plen - zeros - ndigits;
	if ((sp->flags & FL_ZERO) && !(sp->flags & FL_LEFT) &&
	    sp->precision < 0 && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(sp->flags & FL_LEFT))
		put_repeat(o, ' ', pad);
	put_str(o, prefix, (size_t)plen);
	put_repeat(o, '0', zeros);
	while (ndigits)
		put(o, tmp[--ndigits]);
	if (sp->flags & FL_LEFT)
		put_repeat(o, ' ', pad);
}

static void put_padded(struct sink *o, const char *s, size_t n,
		       const struct spec *sp)
{
	int pad = sp->width - (int)n;

	if (!(sp->flags & FL_LEFT))
		put_repeat(o, ' ', pad);
	put_str(o, s, n);
	if (sp->flags & FL_LEFT)
		put_repeat(o, ' ', pad);
}

static const char *parse_flags(const char *fmt, struct spec *sp)
{
	for (;; fmt++) {
		switch (*fmt) {
		case '-':
			sp->flags |= FL_LEFT;
			break;
		case '0':
			sp->flags |= FL_ZERO;
			break;
		case ' ':
			sp->flags |= FL_SPACE;
			break;
		case '+':
			sp->flags |= FL_PLUS;
			break;
		case '#':
			sp->flags |= FL_ALT;
			break;
		default:
			return fmt;
		}
	}
}

static const char *parse_int(const char *fmt, int *out)
{
	int n = 0;

	while (*fmt >= '0' && *fmt <= '9') {
		if (n < 100000000) /* saturate rather than overflow */
			n = n * 10 + (*fmt - '0');
		fmt++;
	}
	*out = n;
	return fmt;
}

static const char *parse_length(const char *fmt, struct spec *sp)
{
	sp->len = LEN_INT;
	if (*fmt == 'h') {
		sp->len = LEN_SHORT;
		if (*++fmt == 'h') {
			sp->len = LEN_CHAR;
			fmt++;
		}
	} else if (*fmt == 'l') {
		sp->len = LEN_LONG;
		if (*++fmt == 'l') {
			sp->len = LEN_LLONG;
			fmt++;
		}
	} else if (*fmt == 'z' || *fmt == 't' || *fmt == 'j') {
		/* size_t, ptrdiff_t and intmax_t are all 64-bit here. */
		sp->len = LEN_SIZE;
		fmt++;
	}
	return fmt;
}

/* Width, '.precision' (either may be '*'), after the flags. */
static const char *parse_spec(const char *fmt, struct spec *sp, va_list *ap)
{
	fmt = parse_flags(fmt, sp);
	if (*fmt == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) { /* C: a negative width means '-' */
			sp->flags |= FL_LEFT;
			sp->width = sp->width == -sp->width ? 0 : -sp->width;
		}
		fmt++;
	} else {
		fmt = parse_int(fmt, &sp->width);
	}
	sp->precision = -1;
	if (*fmt == '.') {
		fmt++;
		if (*fmt == '*') {
			sp->precision = va_arg(*ap, int);
			if (sp->precision < 0) /* as if omitted */
				sp->precision = -1;
			fmt++;
		} else {
			fmt = parse_int(fmt, &sp->precision);
		}
	}
	return parse_length(fmt, sp);
}

static long long signed_arg(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case LEN_CHAR:
		return (signed char)va_arg(*ap, int);
	case LEN_SHORT:
		return (short)va_arg(*ap, int);
	case LEN_LONG:
		return va_arg(*ap, long);
	case LEN_LLONG:
		return va_arg(*ap, long long);
	case LEN_SIZE:
		return va_arg(*ap, ssize_t);
	default:
		return va_arg(*ap, int);
	}
}

static unsigned long long unsigned_arg(const struct spec *sp, va_list *ap)
{
	switch (sp->len) {
	case LEN_CHAR:
		return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_SHORT:
		return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_LONG:
		return va_arg(*ap, unsigned long);
	case LEN_LLONG:
		return va_arg(*ap, unsigned long long);
	case LEN_SIZE:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static void convert_signed(struct sink *o, struct spec *sp, va_list *ap)
{
	long long v = signed_arg(sp, ap);
	/* Negate in unsigned arithmetic: -LLONG_MIN overflows a long long. */
	unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v :
					 (unsigned long long)v;

	put_number(o, mag, v < 0, 10, sp);
}

static void convert_unsigned(struct sink *o, struct spec *sp, va_list *ap,
			     unsigned int base)
{
	/* Only signed conversions print a sign. */
	sp->flags &= ~(FL_PLUS | FL_SPACE);
	put_number(o, unsigned_arg(sp, ap), false, base, sp);
}

static void convert_string(struct sink *o, struct spec *sp, va_list *ap)
{
	const char *s = va_arg(*ap, const char *);
	size_t n;

	if (!s)
		s = "(null)";
	n = sp->precision >= 0 ? strnlen(s, (size_t)sp->precision) : strlen(s);
	put_padded(o, s, n, sp);
}

static void convert_pointer(struct sink *o, struct spec *sp, va_list *ap)
{
	unsigned long v = (unsigned long)va_arg(*ap, void *);
	char tmp[24], text[24];
	int n = to_digits(tmp, v, 16, false), len = 0;

	/* Always 0x-prefixed, also for NULL ("0x0"), so logs parse alike. */
	text[len++] = '0';
	text[len++] = 'x';
	while (n)
		text[len++] = tmp[--n];
	put_padded(o, text, (size_t)len, sp);
}

/* Emit one conversion, c being its conversion character. */
static void convert(struct sink *o, char c, struct spec *sp, va_list *ap)
{
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		convert_signed(o, sp, ap);
		break;
	case 'u':
		convert_unsigned(o, sp, ap, 10);
		break;
	case 'X':
		sp->flags |= FL_UPPER;
		/* fall through */
	case 'x':
		convert_unsigned(o, sp, ap, 16);
		break;
	case 'o':
		convert_unsigned(o, sp, ap, 8);
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		put_padded(o, &ch, 1, sp);
		break;
	case 's':
		convert_string(o, sp, ap);
		break;
	case 'p':
		convert_pointer(o, sp, ap);
		break;
	case '%':
		put(o, '%');
		break;
	default:
		/* Unknown: show it as written so the mistake is visible. */
		put(o, '%');
		if (c)
			put(o, c);
		break;
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sink o = { .buf = buf, .size = size, .len = 0 };
	va_list args;

	/* A va_list passed by value cannot be handed on by address portably. */
	va_copy(args, ap);
	while (*fmt) {
		struct spec sp = { 0 };

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		convert(&o, *fmt, &sp, &args);
		if (*fmt)
			fmt++;
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (!size)
		return 0;
	return (size_t)n < size ? n : (int)(size - 1);
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
