/*
 * churn_model.h
 *		The churn_model type: a fitted logistic regression.
 */
#ifndef CUSTVALUE_CHURN_MODEL_H
#define CUSTVALUE_CHURN_MODEL_H

#include "fmgr.h"
#include "utils/array.h"

/* Most features a model may have; bounds every size computed from input. */
#define CHURN_MAX_FEATURES 1000

/*
 * A fitted model.  coef[0] is the intercept, coef[1..nfeatures] the slopes
 * on the raw (unscaled) features, so a probability needs no other data.
 */
typedef struct ChurnModel
{
	int32		vl_len_;		/* varlena header */
	int32		nfeatures;
	int32		iterations;		/* Newton steps the fit took */
	int32		flags;			/* reserved, always 0 */
	int64		nobs;			/* training rows */
	float8		l2;				/* ridge penalty the model was fitted with */
	float8		loglik;			/* unpenalized log-likelihood at the fit */
	float8		coef[FLEXIBLE_ARRAY_MEMBER];
} ChurnModel;

#define CHURN_MODEL_SIZE(k)	(offsetof(ChurnModel, coef) + sizeof(float8) * ((k) + 1))

#define DatumGetChurnModelP(X)	((ChurnModel *) PG_DETOAST_DATUM(X))
#define PG_GETARG_CHURN_MODEL_P(n)	DatumGetChurnModelP(PG_GETARG_DATUM(n))

extern ChurnModel *churn_model_make(int nfeatures);

/*
 * Read a one-dimensional float8[] without NULLs into a palloc'd vector;
 * *n gets its length.  argname names the argument in errors.
 */
extern float8 *churn_array_to_vector(ArrayType *arr, int *n, const char *argname);
extern ArrayType *churn_vector_to_array(const float8 *v, int n);

/* Logistic function and log(1 + e^x), both without overflow. */
extern float8 churn_logistic(float8 eta);
extern float8 churn_softplus(float8 eta);

#endif							/* CUSTVALUE_CHURN_MODEL_H */
