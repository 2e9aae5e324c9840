/* clones.h — FMS_CLONES, the target_clones attribute of the vectorised loops.
 *
 * With GCC on x86-64 a function marked FMS_CLONES is built three times, for
 * x86-64-v4 (AVX-512), x86-64-v3 (AVX2, FMA) and the baseline, and the
 * loader picks one at start-up: a given machine always runs the same one,
 * so its results are reproducible there.  Elsewhere the mark is empty.
 */
#ifndef FMS_CLONES_H
#define FMS_CLONES_H

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define FMS_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
#endif
#ifndef FMS_CLONES
#define FMS_CLONES
#endif

#endif /* FMS_CLONES_H */
