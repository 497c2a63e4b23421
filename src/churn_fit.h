/*
 * churn_fit.h
 *		Newton's method for logistic regression, shared by churn_fit (rows
 *		kept in the aggregate's state) and churn_fit_query (one parallel
 *		scan per evaluation).
 */
#ifndef CUSTVALUE_CHURN_FIT_H
#define CUSTVALUE_CHURN_FIT_H

#include "churn_model.h"

typedef struct ChurnNewtonProblem ChurnNewtonProblem;

/*
 * The data's part of the objective at gamma (standardized scale): adds the
 * log-likelihood to *loglik and, if grad is not NULL, the gradient to grad
 * and the negated Hessian's lower triangle to hess (p x p, row-major).
 */
typedef void (*ChurnDataTerms) (void *arg, const ChurnNewtonProblem *np,
								const float8 *gamma, float8 *grad, float8 *hess,
								float8 *loglik);

struct ChurnNewtonProblem
{
	int			p;				/* features + 1 */
	int64		n;				/* rows */
	int64		npos;			/* rows labelled true */
	float8		l2;
	float8	   *mean;			/* [p], mean[0] unused */
	float8	   *scale;			/* [p], standard deviations, scale[0] unused */
	float8	   *penalty;		/* [p], set by churn_newton */
	ChurnDataTerms terms;
	void	   *terms_arg;
};

extern ChurnModel *churn_newton(ChurnNewtonProblem *np);
extern void churn_fit_check_l2(float8 l2);
extern void churn_fit_check_width(int k, int want);

#endif							/* CUSTVALUE_CHURN_FIT_H */
