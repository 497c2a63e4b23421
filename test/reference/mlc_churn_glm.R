# Reference fit for sql/churn_model_mlc.sql: R's glm() on the mlc_churn data
# (R package modeldata, MIT license; test/data/mlc_churn.csv is an unchanged
# export of it).  The test stores the numbers printed here as literals, so it
# never needs R.  Regenerate (Debian: apt-get install r-base-core r-cran-modeldata):
#     Rscript test/reference/mlc_churn_glm.R
# Split: rows in file order numbered 1..5000; every 5th row (row %% 5 == 0)
# is the hold-out, the other 4000 rows train.
d <- read.csv("test/data/mlc_churn.csv")
d$row <- seq_len(nrow(d))
d$y <- as.numeric(d$churn == "yes")
d$intl <- as.numeric(d$international_plan == "yes")
d$vmail <- as.numeric(d$voice_mail_plan == "yes")
f <- y ~ account_length + intl + vmail + number_vmail_messages +
    total_day_minutes + total_day_calls + total_eve_minutes + total_eve_calls +
    total_night_minutes + total_night_calls + total_intl_minutes +
    total_intl_calls + number_customer_service_calls
train <- d[d$row %% 5 != 0, ]
hold <- d[d$row %% 5 == 0, ]
m <- glm(f, family = binomial, data = train,
         control = glm.control(epsilon = 1e-14, maxit = 100))
cat(sprintf("%-32s %.17g\n", names(coef(m)), coef(m)), sep = "")
cat(sprintf("logLik %.17g  iterations %d  n %d\n", as.numeric(logLik(m)), m$iter, nrow(train)))
p <- predict(m, hold, type = "response")
pos <- p[hold$y == 1]; neg <- p[hold$y == 0]
auc <- mean(outer(pos, neg, ">") + 0.5 * outer(pos, neg, "=="))
ll <- -mean(hold$y * log(p) + (1 - hold$y) * log(1 - p))
cat(sprintf("holdout n %d  churners %d  AUC %.17g  logloss %.17g\n",
            nrow(hold), sum(hold$y), auc, ll))
# and with data(mlc_churn) from the package, the same coefficients:
if (requireNamespace("modeldata", quietly = TRUE)) {
    data(mlc_churn, package = "modeldata")
    stopifnot(nrow(mlc_churn) == nrow(d),
              all.equal(as.numeric(mlc_churn$total_day_minutes), d$total_day_minutes))
}
