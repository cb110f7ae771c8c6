// A page that is not built yet says so plainly (no fake numbers).
import { Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function PlaceholderPage({ titleKey }: { titleKey: string }) {
  const { t } = useTranslation();
  return (
    <>
      <Typography.Title level={3}>{t(titleKey)}</Typography.Title>
      <Empty description={t('placeholder.comingSoon')} />
    </>
  );
}
