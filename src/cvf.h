/*
 * cvf.h
 *		The customer value function (CVF, domain.md §2): the population
 *		sketch its aggregate builds, and the scale type it finalises to.
 *
 * Scoring is two passes.  The aggregate custvalue.cvf_scale() reads the
 * population once and keeps, per dimension, a fixed-bin log-linear histogram
 * with integer counts (a CvfSketch).  Merging two sketches is adding counts,
 * which is associative and commutative, so however PostgreSQL splits the
 * input over parallel workers the final counts -- and so every quantile --
 * are bit-for-bit those of a serial scan.  The final function reduces the
 * sketch to a CvfScale: a few quantiles per dimension, 320 bytes, which the
 * scoring function takes with one customer's inputs.
 *
 * Histogram layout: bin 0 holds [0, 2^CVF_EXP_MIN); then every octave
 * [2^e, 2^(e+1)), CVF_EXP_MIN <= e < CVF_EXP_MAX, is cut into CVF_SUBBINS
 * equal bins; the last bin holds [2^CVF_EXP_MAX, inf).  A quantile is
 * reported as the lower edge of the bin holding the order statistic, clamped
 * to the exact minimum and maximum (and exactly the maximum when the rank is
 * n), so for order statistics in [2^CVF_EXP_MIN, 2^CVF_EXP_MAX) it is at
 * most a factor (1 + 1/CVF_SUBBINS) below the true value and never above it,
 * below 2^CVF_EXP_MIN within 2^CVF_EXP_MIN; values that are bin edges (all
 * integers below 64, even integers below 128, ...) come out exactly.  From
 * 2^CVF_EXP_MAX (4.3e9) up only the minimum and maximum are exact.
 */
#ifndef CUSTVALUE_CVF_H
#define CUSTVALUE_CVF_H

#include "fmgr.h"

/* The five dimensions, in the order of every argument list and array. */
#define CVF_REVENUE		0
#define CVF_TENURE		1
#define CVF_CREDIT		2
#define CVF_TARIFF		3
#define CVF_BUNDLES		4
#define CVF_NDIMS		5

extern const char *const cvf_dim_names[CVF_NDIMS];

/* Histogram layout (see above). */
#define CVF_SUBBINS_LOG2	5
#define CVF_SUBBINS		(1 << CVF_SUBBINS_LOG2)
#define CVF_EXP_MIN		(-8)
#define CVF_EXP_MAX		32
#define CVF_NBINS		(2 + (CVF_EXP_MAX - CVF_EXP_MIN) * CVF_SUBBINS)

typedef struct CvfSketchDim
{
	int64		n;				/* non-NULL values seen */
	double		min;			/* exact; 0 when n = 0 */
	double		max;
	int64		counts[CVF_NBINS];
} CvfSketchDim;

typedef struct CvfSketch
{
	CvfSketchDim dim[CVF_NDIMS];
} CvfSketch;

/*
 * The quantile levels a scale keeps, in percent.  The policy's reference
 * quantile of each dimension must be one of them.
 */
#define CVF_NLEVELS		5
extern const int cvf_levels[CVF_NLEVELS];

typedef struct CvfScaleDim
{
	int64		n;
	double		min;
	double		q[CVF_NLEVELS];
	double		max;
} CvfScaleDim;

/* The SQL type custvalue.cvf_scale: fixed length, passed by reference. */
typedef struct CvfScale
{
	CvfScaleDim dim[CVF_NDIMS];
} CvfScale;

#define DatumGetCvfScaleP(X)	((CvfScale *) DatumGetPointer(X))
#define PG_GETARG_CVFSCALE_P(n) DatumGetCvfScaleP(PG_GETARG_DATUM(n))
#define PG_RETURN_CVFSCALE_P(x) PG_RETURN_POINTER(x)

/* cvf_sketch.c */
extern int	cvf_bin_of(double v);
extern double cvf_bin_lower(int bin);
extern void cvf_sketch_to_scale(const CvfSketch *sketch, CvfScale *scale);

/* cvf_scale.c */
extern void cvf_scale_validate(const CvfScale *scale, int errcode_on_error);

#endif							/* CUSTVALUE_CVF_H */
