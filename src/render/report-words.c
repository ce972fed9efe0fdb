/*
 * report-words: the words and definitions of the indicator report, in
 * Russian and English.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/report.h"

static const char *const report_words[W_NWORDS][2] = {
	[W_TITLE] = { "Показатели сетевых сообществ педагогов",
	    "Indicators of teachers' network communities" },
	[W_SITE_WIDE] = { "все списки", "all lists" },
	[W_LIST] = { "Список", "List" },
	[W_PROVISIONAL] = { "Предварительно: месяц ещё не закончился, "
	    "цифры рассчитаны сейчас и не сохранены.",
	    "Provisional: the month has not ended; the figures are "
	    "computed now and not kept." },
	[W_KEPT] = { "Рассчитано по окончании месяца и сохранено",
	    "Computed at the month's end and kept" },
	[W_RECONSTRUCTED] = { "", "" },
	[W_PARTICIPATION] = { "1. Включённость педагогов",
	    "1. Teachers included" },
	[W_ASSOCIATIONS] = { "2. Методические объединения и сообщества",
	    "2. Associations and communities" },
	[W_MATERIALS] = { "3. Методические разработки",
	    "3. Methodological developments" },
	[W_HEALTH] = { "4. Жизнь сети", "4. Network health" },
	[W_TRENDS] = { "Динамика по месяцам", "Monthly trends" },
	[W_DEFINITIONS] = { "Что означают показатели",
	    "What the measures mean" },
	[W_SCHOOLS] = { "По школам", "By school" },
	[W_MUNICIPALITY] = { "Муниципалитет", "Municipality" },
	[W_SCHOOL] = { "Школа", "School" },
	[W_TEACHERS] = { "Педагогов в реестре", "Teachers in the registry" },
	[W_INCLUDED] = { "Включены", "Included" },
	[W_SHARE] = { "Доля, %", "Share, %" },
	[W_PREV_SHARE] = { "Месяцем ранее, %", "A month before, %" },
	[W_CHANGE] = { "Изменение, п.п.", "Change, points" },
	[W_BELOW] = { "ниже 25%", "below 25%" },
	[W_NOT_GIVEN] = { "(не указан)", "(not given)" },
	[W_TOTAL] = { "Всего", "Total" },
	[W_MEMBERS] = { "Участников", "Members" },
	[W_REG_TEACHERS] = { "Из них педагогов реестра",
	    "Of them registry teachers" },
	[W_COORDINATORS] = { "Координаторов", "Coordinators" },
	[W_POSTS] = { "Сообщений за месяц", "Posts in the month" },
	[W_ACTIVE] = { "Активен", "Active" },
	[W_YES] = { "да", "yes" },
	[W_NO] = { "нет", "no" },
	[W_LISTS] = { "Списков (объединений и сообществ)",
	    "Lists (associations and communities)" },
	[W_LISTS_ACTIVE] = { "Из них активных", "Of them active" },
	[W_SUBMISSIONS] = { "Разработок", "Developments" },
	[W_APPROVED] = { "Одобрено", "Approved" },
	[W_APPROVED_TEACHERS] = { "Педагогов с одобренной разработкой",
	    "Teachers with an approved development" },
	[W_SUB_NEW] = { "Присланных за месяц", "Submitted in the month" },
	[W_REPLIES] = { "Из них ответов", "Of them replies" },
	[W_POSTS_NC] = { "Доля сообщений не координаторов, %",
	    "Share of posts by non-coordinators, %" },
	[W_REPLIES_NC] = { "Доля ответов не координаторов, %",
	    "Share of replies by non-coordinators, %" },
	[W_REPLIES_MM] = { "Ответов участника участнику",
	    "Replies from member to member" },
	[W_POSTERS] = { "Разных авторов", "Distinct posters" },
	[W_TOP_SHARE] = { "Доля сообщений 10% самых активных авторов, %",
	    "Share of posts by the top 10% of posters, %" },
	[W_LONGTERM] = { "Авторов, писавших в 3 из последних 6 месяцев",
	    "Posters active in 3 of the last 6 months" },
	[W_THRESHOLD] = { "порог 25%", "25% threshold" },
	[W_MONTH] = { "Месяц", "Month" },
	[W_FLAGGED_LIST] = { "Ниже порога 25%:", "Below the 25% threshold:" },
	[W_NONE_FLAGGED] = { "Ниже порога 25% нет ни одного муниципалитета.",
	    "No municipality is below the 25% threshold." },
	[W_MEASURE] = { "Показатель", "Measure" },
	[W_VALUE] = { "Значение", "Value" },
	[W_STATE] = { "Состояние", "State" },
	[W_LEVEL] = { "Уровень", "Level" },
	[W_MATCHING] = { "Как педагог находится в списках. Строка реестра — "
	    "один адрес; строки с одинаковыми ФИО, школой и муниципалитетом "
	    "(без учёта регистра, ё как е, лишних пробелов) — один педагог с "
	    "несколькими адресами. Педагог включён, если хотя бы один его "
	    "адрес подписан хотя бы на один список к концу месяца, в любом "
	    "режиме доставки. Адреса сравниваются так, как их хранит шлюз: "
	    "домен без учёта регистра и в ASCII-форме (.рф как xn--p1ai), "
	    "локальная часть — ",
	    "How a teacher is found on the lists. A registry row is one "
	    "address; rows with the same full name, school and municipality "
	    "(case-blind, extra spaces ignored) are one teacher with several "
	    "addresses. A teacher is included when at least one of their "
	    "addresses is a member of at least one list at the month's end, "
	    "in any delivery mode. Addresses compare as the gateway stores "
	    "them: the domain case-blind and in its ASCII form (.рф as "
	    "xn--p1ai), the local part " },
	[W_NOT_IN_REGISTRY] = { "авторы не из реестра",
	    "authors not in the registry" },
	[W_CHART_PARTICIPATION] = { "Доля включённых педагогов по "
	    "муниципалитетам", "Share of teachers included, by municipality" },
	[W_CHART_SHARE_TREND] = { "Доля включённых педагогов, %",
	    "Share of teachers included, %" },
	[W_CHART_POSTS_TREND] = { "Сообщений и ответов за месяц",
	    "Posts and replies per month" },
	[W_NO_HISTORY] = { "Сохранённых прошлых месяцев пока нет: динамика "
	    "появится со следующим отчётом.",
	    "No earlier month is kept yet: trends appear with the next "
	    "report." },
	[W_LIST_SCOPE_NOTE] = { "Отчёт по одному списку: включёнными "
	    "считаются педагоги, подписанные на этот список.",
	    "A report for one list: teachers count as included when they "
	    "are members of this list." },
};

static int
report_lang_index(const char *lang)
{
	return lang != NULL && strcmp(lang, "en") == 0;
}

const char *
report_word(const char *lang, enum report_word w)
{
	if ((int)w < 0 || w >= W_NWORDS || report_words[w][0] == NULL)
		return "";
	return report_words[w][report_lang_index(lang)];
}

static const char *const report_states[RS_NSTATES][2] = {
	{ "на рецензии", "in review" }, { "на доработке", "to revise" },
	{ "одобрено", "approved" }, { "отклонено", "rejected" },
	{ "отозвано", "withdrawn" },
};
static const char *const report_levels[RL_NLEVELS][2] = {
	{ "муниципальный", "municipal" },
	{ "региональная экспертиза", "regional expertise" },
	{ "региональный портал", "regional portal" },
};

const char *
report_state_word(const char *lang, int state)
{
	if (state < 0 || state >= RS_NSTATES)
		return "";
	return report_states[state][report_lang_index(lang)];
}

const char *
report_level_word(const char *lang, int level)
{
	if (level < 0 || level >= RL_NLEVELS)
		return "";
	return report_levels[level][report_lang_index(lang)];
}

static const char *const report_defs_ru[] = {
	"Доля включённых педагогов",
	"Сколько педагогов из реестра подписаны хотя бы на один список, "
	"делённое на число педагогов реестра в муниципалитете (школе). "
	"Муниципалитет отмечен, если доля ниже 25% — порога, ниже которого "
	"регион считает включённость недостаточной.",
	"Изменение",
	"Разница с долей прошлого месяца в процентных пунктах, по "
	"сохранённым цифрам прошлого месяца.",
	"Активный список",
	"Список, в который пришло хотя бы одно сообщение за последние 30 "
	"дней до конца месяца.",
	"Разработки по уровням",
	"Одобренные разработки по уровню признания: муниципальный (одобрена "
	"в списке), региональная экспертиза (прошла экспертизу РУМО), "
	"региональный портал (опубликована на портале). Считаются все "
	"разработки, присланные до конца месяца, в их состоянии на конец "
	"месяца.",
	"Информационный обмен",
	"Число сообщений в списках за месяц; ответ — сообщение, которое "
	"отвечает на другое письмо (есть In-Reply-To или References).",
	"Горизонтальные связи",
	"Доля сообщений и ответов, написанных участниками, которые не "
	"координаторы этого списка; ответы участника участнику — ответы не "
	"координатора на письмо другого не координатора. Чем они выше, тем "
	"больше сеть держится на самих педагогах, а не на иерархии.",
	"Несколько центров активности",
	"Сколько разных людей писали в списки за месяц, и какая доля всех "
	"сообщений пришлась на 10% самых активных из них (округляя вверх). "
	"Доля, близкая к 100%, значит, что пишут немногие.",
	"Долговременные связи",
	"Сколько авторов писали в списки не меньше чем в 3 из последних 6 "
	"месяцев (этот месяц и пять предыдущих).",
	NULL
};

static const char *const report_defs_en[] = {
	"Share of teachers included",
	"Teachers of the registry who are members of at least one list, "
	"divided by the registry's teachers of the municipality (school). "
	"A municipality is flagged when the share is below 25%, the "
	"threshold below which the region considers inclusion too low.",
	"Change",
	"The difference from last month's share, in percentage points, from "
	"last month's kept figures.",
	"Active list",
	"A list that received at least one post in the 30 days before the "
	"month's end.",
	"Developments by level",
	"Approved developments by where they are recognised: municipal "
	"(approved on the list), regional expertise (passed the regional "
	"review), regional portal (published on the portal). Every "
	"development submitted before the month's end counts, in its state "
	"at the month's end.",
	"Information exchange",
	"Posts to the lists in the month; a reply is a post that answers "
	"another message (it has In-Reply-To or References).",
	"Horizontal links",
	"The share of posts and of replies written by members who are not "
	"coordinators of that list; replies from member to member are "
	"replies by a non-coordinator to another non-coordinator. The "
	"higher they are, the more the network rests on teachers "
	"themselves rather than on hierarchy.",
	"Several centres of activity",
	"How many different people posted in the month, and the share of "
	"all posts written by the most active 10% of them (rounded up). A "
	"share near 100% means that only a few write.",
	"Long-term links",
	"Posters who wrote to the lists in at least 3 of the last 6 months "
	"(this month and the five before).",
	NULL
};

const char *const *
report_definitions(const char *lang)
{
	return report_lang_index(lang) ? report_defs_en : report_defs_ru;
}

static const char *const report_months_ru[] = {
	"январь", "февраль", "март", "апрель", "май", "июнь", "июль",
	"август", "сентябрь", "октябрь", "ноябрь", "декабрь"
};
static const char *const report_months_en[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

void
report_month_name(const char *lang, const char *month, char *out,
    size_t size)
{
	int	y, m;

	if (sscanf(month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12) {
		snprintf(out, size, "%s", month);
		return;
	}
	snprintf(out, size, "%s %d", report_lang_index(lang) ?
	    report_months_en[m - 1] : report_months_ru[m - 1], y);
}

void
report_percent(const char *lang, int64_t permille, char *out, size_t size)
{
	int64_t	a = permille < 0 ? -permille : permille;

	snprintf(out, size, "%s%lld%c%lld", permille < 0 ? "-" : "",
	    (long long)(a / 10), report_lang_index(lang) ? '.' : ',',
	    (long long)(a % 10));
}

void
report_matching(const char *lang, int local_ci, char *out, size_t size)
{
	int	en = report_lang_index(lang);

	snprintf(out, size, "%s%s", report_word(lang, W_MATCHING), local_ci ?
	    (en ? "case-blind as well." : "тоже без учёта регистра.") :
	    (en ? "exactly, case included." : "точно, с учётом регистра."));
}
