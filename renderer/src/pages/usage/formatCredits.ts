/** Credits as Kiro reports them, to the hundredth: single requests often cost well under one credit. */
export function formatCredits(credits: number, language: string): string {
  return new Intl.NumberFormat(language === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 2 }).format(
    credits,
  );
}
