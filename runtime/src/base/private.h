/* base/private.h: what marks libctl's internal declarations. Every internal
 * header puts its declarations (after its #includes) between
 * CTLI_BEGIN_PRIVATE and CTLI_END_PRIVATE: they get hidden visibility, and
 * the build makes hidden symbols local to libctl.a (runtime/CMakeLists.txt),
 * so user code links against the public ctl_ API only. */
#ifndef CTL_BASE_PRIVATE_H
#define CTL_BASE_PRIVATE_H

#if defined(__GNUC__)
#define CTLI_BEGIN_PRIVATE _Pragma("GCC visibility push(hidden)")
#define CTLI_END_PRIVATE _Pragma("GCC visibility pop")
#else
#define CTLI_BEGIN_PRIVATE
#define CTLI_END_PRIVATE
#endif

/* CTLI_COLD: the rare rest of a hot function, kept out of line so that the
 * common case neither carries its code nor saves the registers it needs;
 * CTLI_NOINLINE: the same for a less common case that is not rare. */
#if defined(__GNUC__)
#define CTLI_COLD __attribute__((noinline, cold))
#define CTLI_NOINLINE __attribute__((noinline))
#else
#define CTLI_COLD
#define CTLI_NOINLINE
#endif

#endif
