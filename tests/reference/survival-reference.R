# Reference output for the survival estimators, from R's survival package (the estimators' tests read these files).
# Regenerate with: Rscript tests/reference/survival-reference.R  (Debian: apt-get install r-base-core r-cran-survival)
# Writes inputs and outputs to tests/Trajectories.Survival.Tests/Reference/.
suppressMessages(library(survival))
out <- "tests/Trajectories.Survival.Tests/Reference"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
w <- function(df, name) write.csv(df, file.path(out, name), row.names = FALSE, na = "")
cat("survival", as.character(packageVersion("survival")), "on", R.version.string, "\n",
    file = file.path(out, "VERSION.txt"))

km_table <- function(fit, dataset, transform) {
  s <- summary(fit, censored = TRUE)
  strata <- if (is.null(s$strata)) rep("all", length(s$time)) else sub(".*=", "", as.character(s$strata))
  data.frame(dataset = dataset, group = strata, transform = transform, time = s$time, n_risk = s$n.risk,
             n_event = s$n.event, n_censor = s$n.censor, surv = sprintf("%.10f", s$surv),
             lower = ifelse(is.na(s$lower), "", sprintf("%.10f", s$lower)),
             upper = ifelse(is.na(s$upper), "", sprintf("%.10f", s$upper)))
}
median_table <- function(fit, dataset, transform) {
  t <- summary(fit)$table
  if (is.null(dim(t))) t <- t(as.matrix(t))
  groups <- if (is.null(rownames(t)) || nrow(t) == 1 && is.null(fit$strata)) "all" else sub(".*=", "", rownames(t))
  data.frame(dataset = dataset, group = groups, transform = transform,
             median = t[, "median"], lower = t[, "0.95LCL"], upper = t[, "0.95UCL"])
}
logrank_row <- function(sd, dataset) {
  # survdiff leaves out groups with no expected events and tests the rest (print.survdiff's df).
  df <- sum(sd$exp > 0) - 1
  data.frame(dataset = dataset, chisq = sprintf("%.10f", sd$chisq), df = df,
             p = sprintf("%.12f", pchisq(sd$chisq, df, lower.tail = FALSE)))
}

# 1. aml: the textbook two-group example with ties (Miller 1981).
aml_in <- data.frame(time = aml$time, status = aml$status, group = as.character(aml$x))
w(aml_in, "aml.csv")
km <- list(); med <- list()
for (tr in c("log-log", "log")) {
  f <- survfit(Surv(time, status) ~ group, data = aml_in, conf.type = tr)
  km[[tr]] <- km_table(f, "aml", tr); med[[tr]] <- median_table(f, "aml", tr)
}

# 2. lung by ECOG performance score 0-2: three groups, many ties.
lung_in <- subset(lung, !is.na(ph.ecog) & ph.ecog < 3)
lung_in <- data.frame(time = lung_in$time, status = lung_in$status - 1, group = as.character(lung_in$ph.ecog))
w(lung_in, "lung.csv")
f <- survfit(Surv(time, status) ~ group, data = lung_in, conf.type = "log-log")
km$lung <- km_table(f, "lung", "log-log"); med$lung <- median_table(f, "lung", "log-log")
f1 <- survfit(Surv(time, status) ~ 1, data = lung_in, conf.type = "log")
km$lung1 <- km_table(f1, "lung-all", "log"); med$lung1 <- median_table(f1, "lung-all", "log")

# 3. Delayed entry (left truncation): counting-process data (entry, exit].
set.seed(20261123)
n <- 60
entry <- ifelse(runif(n) < 0.4, round(runif(n, 1, 200)), 0)
exit <- entry + round(rexp(n, 1 / 300)) + 1
status <- rbinom(n, 1, 0.7)
delayed <- data.frame(entry = entry, time = exit, status = status, group = ifelse(runif(n) < 0.5, "a", "b"))
w(delayed, "delayed.csv")
f <- survfit(Surv(entry, time, status) ~ 1, data = delayed, conf.type = "log-log")
km$delayed <- km_table(f, "delayed", "log-log"); med$delayed <- median_table(f, "delayed", "log-log")

w(do.call(rbind, km), "km.csv")
w(do.call(rbind, med), "median.csv")
# 2b. A group never at risk at an event time (all censored before aml's first event, at day 5): its expected count
# is 0, and survdiff tests the other groups alone, on one degree of freedom fewer.
aml_late <- rbind(aml_in, data.frame(time = c(1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4), status = 0, group = "late"))
w(aml_late, "aml_late.csv")
lung_late <- rbind(lung_in, data.frame(time = c(1, 2, 3, 4, 4), status = 0, group = "late"))
w(lung_late, "lung_late.csv")
w(rbind(logrank_row(survdiff(Surv(time, status) ~ group, data = aml_in), "aml"),
        logrank_row(survdiff(Surv(time, status) ~ group, data = lung_in), "lung"),
        logrank_row(survdiff(Surv(time, status) ~ group, data = aml_late), "aml_late"),
        logrank_row(survdiff(Surv(time, status) ~ group, data = lung_late), "lung_late")), "logrank.csv")
# (survdiff takes right-censored data only, so delayed entry has no log-rank reference.)

# 4. Competing risks: mgus2, progression to plasma cell malignancy (pcm) vs death (the survival package's
# "compete" vignette). Aalen-Johansen via survfit with a factor status.
etime <- with(mgus2, ifelse(pstat == 0, futime, ptime))
event <- with(mgus2, ifelse(pstat == 0, 2 * death, 1))
mg <- data.frame(time = etime, cause = c("", "pcm", "death")[event + 1])
w(mg, "mgus2.csv")
f <- survfit(Surv(etime, factor(event, 0:2, labels = c("censor", "pcm", "death"))) ~ 1)
states <- f$states
aj <- data.frame(time = f$time, n_risk = f$n.risk[, 1],
                 survival = sprintf("%.10f", f$pstate[, which(states == "(s0)")]),
                 pcm = sprintf("%.10f", f$pstate[, which(states == "pcm")]),
                 death = sprintf("%.10f", f$pstate[, which(states == "death")]))
w(aj, "aj_mgus2.csv")

# 4b. Restricted mean survival time up to tau (print(fit, rmean = tau)), with its standard error.
rmean_rows <- function(fit, dataset, taus) {
  do.call(rbind, lapply(taus, function(tau) {
    t <- summary(fit, rmean = tau)$table
    if (is.null(dim(t))) t <- t(as.matrix(t))
    groups <- if (is.null(fit$strata)) "all" else sub(".*=", "", rownames(t))
    data.frame(dataset = dataset, group = groups, tau = tau, rmean = sprintf("%.10f", t[, "rmean"]),
               se = sprintf("%.10f", t[, "se(rmean)"]))
  }))
}
w(rbind(
  rmean_rows(survfit(Surv(time, status) ~ group, data = aml_in), "aml", c(12, 24, 36)),
  rmean_rows(survfit(Surv(time, status) ~ group, data = lung_in), "lung", c(180, 365, 730)),
  rmean_rows(survfit(Surv(entry, time, status) ~ 1, data = delayed), "delayed", c(100, 200, 300))), "rmean.csv")

# 5. Cox proportional hazards (issue 17): categorical covariates with named reference levels, ties (Efron, R's
# default, and Breslow), delayed entry, and counting-process data with a time-varying covariate (heart).
cox_rows <- function(fit, dataset, ties) {
  s <- summary(fit)
  cf <- s$coefficients
  # Terms named as the service names them: covariate=level.
  term <- sub("^factor\\(ecog\\)", "ecog=", rownames(cf))
  term <- sub("^relevel\\(factor\\(celltype\\), \"squamous\"\\)", "celltype=", term)
  term <- sub("^groupb$", "group=b", term)
  data.frame(dataset = dataset, ties = ties, term = term,
             coef = sprintf("%.10f", cf[, "coef"]), se = sprintf("%.10f", cf[, "se(coef)"]),
             z = sprintf("%.10f", cf[, "z"]), p = sprintf("%.12g", cf[, "Pr(>|z|)"]))
}
cox_fit_row <- function(fit, dataset, ties) {
  s <- summary(fit)
  data.frame(dataset = dataset, ties = ties, n = fit$n, events = fit$nevent,
             loglik0 = sprintf("%.10f", fit$loglik[1]), loglik = sprintf("%.10f", fit$loglik[2]),
             lr = sprintf("%.10f", s$logtest["test"]), df = s$logtest["df"],
             wald = sprintf("%.10f", fit$wald.test), score = sprintf("%.10f", s$sctest["test"]),
             concordance = sprintf("%.10f", fit$concordance["concordance"]),
             concordance_se = sprintf("%.10f", fit$concordance["std"]))
}
lung_cox <- subset(lung, !is.na(ph.ecog) & ph.ecog < 3)
lung_cox <- data.frame(time = lung_cox$time, status = lung_cox$status - 1, age = lung_cox$age,
                       female = as.numeric(lung_cox$sex == 2), ecog = as.character(lung_cox$ph.ecog))
w(lung_cox, "cox_lung.csv")
vet <- data.frame(time = veteran$time, status = veteran$status, karno = veteran$karno,
                  treated = as.numeric(veteran$trt == 2), celltype = as.character(veteran$celltype))
w(vet, "cox_veteran.csv")
set.seed(20261201)
dl <- delayed
dl$x <- round(rnorm(nrow(dl)), 3)
w(dl, "cox_delayed.csv")
hrt <- data.frame(start = heart$start, stop = heart$stop, event = heart$event, age = heart$age,
                  year = heart$year, surgery = heart$surgery, transplant = as.numeric(heart$transplant) - 1)
w(hrt, "cox_heart.csv")
zph_rows <- function(fit, dataset, ties) {
  tb <- cox.zph(fit)$table
  term <- sub("^factor\\(ecog\\)$", "ecog", rownames(tb))
  term <- sub("^relevel\\(factor\\(celltype\\), \"squamous\"\\)$", "celltype", term)
  data.frame(dataset = dataset, ties = ties, term = term, chisq = sprintf("%.10f", tb[, "chisq"]),
             df = tb[, "df"], p = sprintf("%.12g", tb[, "p"]))
}
terms <- list(); fits <- list(); zph <- list()
for (ties in c("efron", "breslow")) {
  m <- list(
    lung = coxph(Surv(time, status) ~ age + female + factor(ecog), data = lung_cox, ties = ties),
    veteran = coxph(Surv(time, status) ~ karno + treated + relevel(factor(celltype), "squamous"), data = vet,
                    ties = ties),
    delayed = coxph(Surv(entry, time, status) ~ group + x, data = dl, ties = ties),
    heart = coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, data = hrt, ties = ties))
  for (name in names(m)) {
    terms[[paste(name, ties)]] <- cox_rows(m[[name]], name, ties)
    fits[[paste(name, ties)]] <- cox_fit_row(m[[name]], name, ties)
    zph[[paste(name, ties)]] <- zph_rows(m[[name]], name, ties)
  }
}
w(do.call(rbind, terms), "cox_terms.csv")
w(do.call(rbind, fits), "cox_fits.csv")
w(do.call(rbind, zph), "cox_zph.csv")
cat("wrote", out, "\n")

# 7. Multi-state occupation (Aalen-Johansen, survfit with Surv(tstart, tstop, state), id and istate): a generated
# set of careers over five states with integer days (ties between transitions and censorings), people starting in
# different states, delayed entry before and after the first transition, and moves back and forth. The standard
# errors are the infinitesimal jackknife with the initial distribution's own influence (influence = TRUE; R's
# default leaves p0's influence out, which makes the time-0 error 0).
set.seed(20261201)
ms_states <- c("peer", "other", "notEmployed", "paused", "lost")
ms_rows <- list()
for (id in 1:150) {
  t <- if (runif(1) < 0.25) round(runif(1, 1, 100)) else 0
  s <- sample(ms_states[1:3], 1, prob = c(0.3, 0.2, 0.5))
  end <- t + round(runif(1, 50, 900))
  repeat {
    nt <- t + round(rexp(1, 1 / 150)) + 1
    if (nt >= end) {
      ms_rows[[length(ms_rows) + 1]] <- data.frame(id = id, tstart = t, tstop = end, from = s, to = "")
      break
    }
    ns <- sample(setdiff(ms_states, s), 1, prob = c(4, 3, 2, 1)[seq_len(4)])
    ms_rows[[length(ms_rows) + 1]] <- data.frame(id = id, tstart = t, tstop = nt, from = s, to = ns)
    t <- nt; s <- ns
  }
}
ms <- do.call(rbind, ms_rows)
w(ms, "multistate.csv")
ms$event <- factor(ifelse(ms$to == "", "censor", ms$to), levels = c("censor", ms_states))
ms$istate <- factor(ms$from, levels = ms_states)
f <- survfit(Surv(tstart, tstop, event) ~ 1, data = ms, id = id, istate = istate, influence = TRUE)
stopifnot(identical(f$states, ms_states))
fll <- survfit(Surv(tstart, tstop, event) ~ 1, data = ms, id = id, istate = istate, influence = TRUE,
               conf.type = "log-log")
ms_out <- data.frame(time = f$time)
for (j in seq_along(ms_states)) {
  s <- ms_states[j]
  ms_out[[paste0("p_", s)]] <- sprintf("%.12f", f$pstate[, j])
  ms_out[[paste0("se_", s)]] <- sprintf("%.12f", f$std.err[, j])
  ms_out[[paste0("lower_", s)]] <- ifelse(is.na(f$lower[, j]), "", sprintf("%.12f", f$lower[, j]))
  ms_out[[paste0("upper_", s)]] <- ifelse(is.na(f$upper[, j]), "", sprintf("%.12f", f$upper[, j]))
  ms_out[[paste0("lowerll_", s)]] <- ifelse(is.na(fll$lower[, j]), "", sprintf("%.12f", fll$lower[, j]))
  ms_out[[paste0("upperll_", s)]] <- ifelse(is.na(fll$upper[, j]), "", sprintf("%.12f", fll$upper[, j]))
  ms_out[[paste0("n_", s)]] <- f$n.risk[, j]
}
w(ms_out, "multistate_pstate.csv")
w(data.frame(state = ms_states, p0 = sprintf("%.12f", f$p0), sp0 = sprintf("%.12f", f$sp0)), "multistate_p0.csv")
