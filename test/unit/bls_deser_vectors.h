/*
 * bls_deser_vectors.h - G1/G2 compressed-point deserialization cases, as data.
 *
 * Source: /work/shared/vectors/bls/deserialization/{g1,g2}.yaml, themselves taken from
 * ethereum/bls12-381-tests, main.py, case08_deserialization_G1 and
 * case09_deserialization_G2 (HEAD 006855c56cb6491ee19b4aedfddb806aaeacb1db; upstream
 * credits ConsenSys/teku G1PointTest/G2PointTest).  License: CC0 1.0 Universal.
 * Each case: the upstream name, the hex input (some of a wrong length on purpose) and
 * whether it must decode to a valid point (subgroup check included).
 */
#ifndef PARTIX_BLS_DESER_VECTORS_H
#define PARTIX_BLS_DESER_VECTORS_H

struct deser_case {
    const char *name;
    const char *hex;
    int valid;
};

static const struct deser_case G1_DESER[] = {
    {"deserialization_succeeds_correct_point",
     "a491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d06"
     "7c0618f6e5a7f79a",
     1},
    {"deserialization_fails_not_in_G1",
     "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef",
     0},
    {"deserialization_fails_not_in_curve",
     "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcde0",
     0},
    {"deserialization_fails_x_equal_to_modulus",
     "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffff"
     "b9feffffffffaaab",
     0},
    {"deserialization_fails_x_greater_than_modulus",
     "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffff"
     "b9feffffffffaaac",
     0},
    {"deserialization_fails_too_few_bytes",
     "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffff"
     "b9feffffffffaa",
     0},
    {"deserialization_fails_too_many_bytes",
     "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffff"
     "b9feffffffffaaa900",
     0},
    {"deserialization_succeeds_infinity_with_true_b_flag",
     "c0000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000",
     1},
    {"deserialization_fails_infinity_with_true_b_flag",
     "c0100000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000",
     0},
    {"deserialization_fails_infinity_with_false_b_flag",
     "80000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000",
     0},
    {"deserialization_fails_with_wrong_c_flag",
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef",
     0},
    {"deserialization_fails_with_b_flag_and_x_nonzero",
     "c123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef",
     0},
    {"deserialization_fails_with_b_flag_and_a_flag_true",
     "e0000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "0000000000000000",
     0},
    {"deserialization_fails_with_mask_bits_111",
     "e491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d06"
     "7c0618f6e5a7f79a",
     0},
    {"deserialization_fails_with_mask_bits_011",
     "6491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d06"
     "7c0618f6e5a7f79a",
     0},
    {"deserialization_fails_with_mask_bits_001",
     "2491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d06"
     "7c0618f6e5a7f79a",
     0},
};

static const struct deser_case G2_DESER[] = {
    {"deserialization_succeeds_correct_point",
     "b2cc74bc9f089ed9764bbceac5edba416bef5e73701288977b9cac1ccb6964269d4ebf78b4e8aa77"
     "92ba09d3e49c8e6a1351bdf582971f796bbaf6320e81251c9d28f674d720cca07ed14596b96697cf"
     "18238e0e03ebd7fc1353d885a39407e0",
     1},
    {"deserialization_fails_xre_equal_to_modulus",
     "80000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000001a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f624"
     "1eabfffeb153ffffb9feffffffffaaab",
     0},
    {"deserialization_fails_xim_equal_to_modulus",
     "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffff"
     "b9feffffffffaaab0000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000",
     0},
    {"deserialization_fails_xre_greater_than_modulus",
     "80000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000001a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f624"
     "1eabfffeb153ffffb9feffffffffaaac",
     0},
    {"deserialization_fails_xim_greater_than_modulus",
     "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffff"
     "b9feffffffffaaac0000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000",
     0},
    {"deserialization_fails_not_in_G2",
     "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef",
     0},
    {"deserialization_fails_not_in_curve",
     "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcde0",
     0},
    {"deserialization_fails_too_few_bytes",
     "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcd",
     0},
    {"deserialization_fails_too_many_bytes",
     "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdefff",
     0},
    {"deserialization_succeeds_infinity_with_true_b_flag",
     "c0000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000",
     1},
    {"deserialization_fails_infinity_with_true_b_flag",
     "c0100000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000",
     0},
    {"deserialization_fails_infinity_with_false_b_flag",
     "80000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000",
     0},
    {"deserialization_fails_with_wrong_c_flag",
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef",
     0},
    {"deserialization_fails_with_b_flag_and_x_nonzero",
     "c123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
     "0123456789abcdef0123456789abcdef",
     0},
    {"deserialization_fails_with_b_flag_and_a_flag_true",
     "e0000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000000000000000000000000000000000000000000000000000"
     "00000000000000000000000000000000",
     0},
    {"deserialization_fails_with_mask_bits_111",
     "f2cc74bc9f089ed9764bbceac5edba416bef5e73701288977b9cac1ccb6964269d4ebf78b4e8aa77"
     "92ba09d3e49c8e6a1351bdf582971f796bbaf6320e81251c9d28f674d720cca07ed14596b96697cf"
     "18238e0e03ebd7fc1353d885a39407e0",
     0},
    {"deserialization_fails_with_mask_bits_011",
     "72cc74bc9f089ed9764bbceac5edba416bef5e73701288977b9cac1ccb6964269d4ebf78b4e8aa77"
     "92ba09d3e49c8e6a1351bdf582971f796bbaf6320e81251c9d28f674d720cca07ed14596b96697cf"
     "18238e0e03ebd7fc1353d885a39407e0",
     0},
    {"deserialization_fails_with_mask_bits_001",
     "32cc74bc9f089ed9764bbceac5edba416bef5e73701288977b9cac1ccb6964269d4ebf78b4e8aa77"
     "92ba09d3e49c8e6a1351bdf582971f796bbaf6320e81251c9d28f674d720cca07ed14596b96697cf"
     "18238e0e03ebd7fc1353d885a39407e0",
     0},
};

#endif
