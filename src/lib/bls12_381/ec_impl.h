/*
 * ec_impl.h - the group law and scalar multiplication, written once for
 * G1 and G2: g1.c and g2.c each include this file after defining
 *
 *   EC          the point type (g1, g2)
 *   FE          its field type (fp, fp2)
 *   EC_(name)   the function prefix (g1_name, g2_name)
 *   FE_(name)   the field's functions (fp_name, fp2_name)
 *   ec_mul_b3   static void ec_mul_b3(FE *r, const FE *a): r = 3 b a
 *
 * See ec.h for the coordinates and the formulas' source.
 */

/* The three flag bits of a compressed encoding (ZCash): copies @p in to
 * @p b with them cleared, sets *@p sort; EC_ERR_FLAGS when the compression
 * flag is clear or the identity is not exactly 0xc0 then zeros, 1 for the
 * identity, 0 for a point to decode.  Public data: it may branch. */
static int ec_encoding_flags(uint8_t *b, const uint8_t *in, size_t len, int *sort)
{
    int inf = in[0] >> 6 & 1;
    uint8_t acc;

    *sort = in[0] >> 5 & 1;
    if (!(in[0] >> 7 & 1))
        return EC_ERR_FLAGS;
    memcpy(b, in, len);
    b[0] &= 0x1f;
    if (!inf)
        return 0;
    acc = (uint8_t)*sort;
    for (size_t i = 0; i < len; i++)
        acc |= b[i];
    return acc ? EC_ERR_FLAGS : 1;
}

void EC_(identity)(EC *r)
{
    FE_(zero)(&r->x);
    FE_(one)(&r->y);
    FE_(zero)(&r->z);
}

int EC_(is_identity)(const EC *a)
{
    return FE_(is_zero)(&a->z);
}

int EC_(eq)(const EC *a, const EC *b)
{
    FE s, t;
    int ok;
    FE_(mul)(&s, &a->x, &b->z);
    FE_(mul)(&t, &b->x, &a->z);
    ok = FE_(eq)(&s, &t);
    FE_(mul)(&s, &a->y, &b->z);
    FE_(mul)(&t, &b->y, &a->z);
    return ok & FE_(eq)(&s, &t);
}

void EC_(neg)(EC *r, const EC *a)
{
    r->x = a->x;
    FE_(neg)(&r->y, &a->y);
    r->z = a->z;
}

void EC_(cmov)(EC *r, const EC *a, int flag)
{
    FE_(cmov)(&r->x, &a->x, flag);
    FE_(cmov)(&r->y, &a->y, flag);
    FE_(cmov)(&r->z, &a->z, flag);
}

/* Renes-Costello-Batina algorithm 7 (complete addition, a = 0). */
void EC_(add)(EC *r, const EC *p, const EC *q)
{
    FE t0, t1, t2, t3, t4, x3, y3, z3;
    FE_(mul)(&t0, &p->x, &q->x);
    FE_(mul)(&t1, &p->y, &q->y);
    FE_(mul)(&t2, &p->z, &q->z);
    FE_(add)(&t3, &p->x, &p->y);
    FE_(add)(&t4, &q->x, &q->y);
    FE_(mul)(&t3, &t3, &t4);
    FE_(add)(&t4, &t0, &t1);
    FE_(sub)(&t3, &t3, &t4);
    FE_(add)(&t4, &p->y, &p->z);
    FE_(add)(&x3, &q->y, &q->z);
    FE_(mul)(&t4, &t4, &x3);
    FE_(add)(&x3, &t1, &t2);
    FE_(sub)(&t4, &t4, &x3);
    FE_(add)(&x3, &p->x, &p->z);
    FE_(add)(&y3, &q->x, &q->z);
    FE_(mul)(&x3, &x3, &y3);
    FE_(add)(&y3, &t0, &t2);
    FE_(sub)(&y3, &x3, &y3);
    FE_(add)(&x3, &t0, &t0);
    FE_(add)(&t0, &x3, &t0);
    ec_mul_b3(&t2, &t2);
    FE_(add)(&z3, &t1, &t2);
    FE_(sub)(&t1, &t1, &t2);
    ec_mul_b3(&y3, &y3);
    FE_(mul)(&x3, &t4, &y3);
    FE_(mul)(&t2, &t3, &t1);
    FE_(sub)(&x3, &t2, &x3);
    FE_(mul)(&y3, &y3, &t0);
    FE_(mul)(&t1, &t1, &z3);
    FE_(add)(&y3, &t1, &y3);
    FE_(mul)(&t0, &t0, &t3);
    FE_(mul)(&z3, &z3, &t4);
    FE_(add)(&z3, &z3, &t0);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

/* Renes-Costello-Batina algorithm 9 (doubling, a = 0). */
void EC_(dbl)(EC *r, const EC *p)
{
    FE t0, t1, t2, x3, y3, z3;
    FE_(sqr)(&t0, &p->y);
    FE_(add)(&z3, &t0, &t0);
    FE_(add)(&z3, &z3, &z3);
    FE_(add)(&z3, &z3, &z3);
    FE_(mul)(&t1, &p->y, &p->z);
    FE_(sqr)(&t2, &p->z);
    ec_mul_b3(&t2, &t2);
    FE_(mul)(&x3, &t2, &z3);
    FE_(add)(&y3, &t0, &t2);
    FE_(mul)(&z3, &t1, &z3);
    FE_(add)(&t1, &t2, &t2);
    FE_(add)(&t2, &t1, &t2);
    FE_(sub)(&t0, &t0, &t2);
    FE_(mul)(&y3, &t0, &y3);
    FE_(add)(&y3, &x3, &y3);
    FE_(mul)(&t1, &p->x, &p->y);
    FE_(mul)(&x3, &t0, &t1);
    FE_(add)(&x3, &x3, &x3);
    r->x = x3;
    r->y = y3;
    r->z = z3;
}

void EC_(mul)(EC *r, const EC *a, const uint8_t k[SCALAR_BYTES])
{
    EC table[16], acc, sel;
    EC_(identity)(&table[0]);
    table[1] = *a;
    for (int i = 2; i < 16; i++) {
        if (i & 1)
            EC_(add)(&table[i], &table[i - 1], a);
        else
            EC_(dbl)(&table[i], &table[i / 2]);
    }
    EC_(identity)(&acc);
    for (int i = 0; i < 2 * SCALAR_BYTES; i++) {
        unsigned nib = (k[i / 2] >> ((i & 1) ? 0 : 4)) & 15;
        for (int d = 0; d < 4; d++)
            EC_(dbl)(&acc, &acc);
        EC_(identity)(&sel);
        /* read every entry, keep the one whose index matches */
        for (unsigned j = 0; j < 16; j++)
            EC_(cmov)(&sel, &table[j], (int)(((j ^ nib) - 1) >> 31));
        EC_(add)(&acc, &acc, &sel);
    }
    *r = acc;
    /* sel is the last window's multiple: it would tell 4 bits of k */
    mbedtls_platform_zeroize(&sel, sizeof sel);
}

void EC_(mul_vartime)(EC *r, const EC *a, const uint64_t *k, size_t n)
{
    EC acc, base = *a;
    EC_(identity)(&acc);
    for (size_t i = n; i-- > 0;) {
        for (int b = 63; b >= 0; b--) {
            EC_(dbl)(&acc, &acc);
            if ((k[i] >> b) & 1)
                EC_(add)(&acc, &acc, &base);
        }
    }
    *r = acc;
}

/* Y^2 Z = X^3 + b Z^3, i.e. 3 (Y^2 Z - X^3) = 3b Z^3 */
int EC_(is_on_curve)(const EC *a)
{
    FE l, s, t;
    FE_(sqr)(&l, &a->y);
    FE_(mul)(&l, &l, &a->z);
    FE_(sqr)(&t, &a->x);
    FE_(mul)(&t, &t, &a->x);
    FE_(sub)(&l, &l, &t);
    FE_(add)(&s, &l, &l);
    FE_(add)(&l, &s, &l);
    FE_(sqr)(&t, &a->z);
    FE_(mul)(&t, &t, &a->z);
    ec_mul_b3(&t, &t);
    /* the identity (0 : Y : 0) with Y != 0 is on the curve; (0 : 0 : 0) is not */
    return FE_(eq)(&l, &t) &
           ((FE_(is_zero)(&a->x) & FE_(is_zero)(&a->y) & FE_(is_zero)(&a->z)) ^ 1);
}

int EC_(times_r_is_identity)(const EC *a)
{
    EC t;
    EC_(mul_vartime)(&t, a, BLS_R, 4);
    return EC_(is_identity)(&t);
}

int EC_(to_affine)(FE *x, FE *y, const EC *a)
{
    FE zi;
    if (EC_(is_identity)(a))
        return -1;
    FE_(inv)(&zi, &a->z);
    FE_(mul)(x, &a->x, &zi);
    FE_(mul)(y, &a->y, &zi);
    return 0;
}

void EC_(from_affine)(EC *r, const FE *x, const FE *y)
{
    r->x = *x;
    r->y = *y;
    FE_(one)(&r->z);
}
