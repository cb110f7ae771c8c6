// The console shell: theme (light/dark), language, sign-in gate, navigation and routes.
import {
  AimOutlined,
  AlertOutlined,
  DashboardOutlined,
  DatabaseOutlined,
  GlobalOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  SearchOutlined,
  SettingOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import {
  App as AntApp,
  Button,
  ConfigProvider,
  Layout,
  Menu,
  Segmented,
  Select,
  Space,
  Spin,
  Typography,
  theme,
} from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { type ThemeName, ThemeNameContext } from './components/theme-name.ts';
import { changeLanguage, type Language } from './i18n/i18n.ts';
import { SignInPage } from './pages/sign-in.tsx';
import { SessionProvider, useSession } from './session.tsx';

// Each page is its own chunk, loaded when first opened: the queue must not wait for the chart,
// graph and map libraries of other pages (first load ≤ 2 s).
const loaders = {
  hunt: () => import('./pages/hunt.tsx'),
  incidentDetail: () => import('./pages/incident-detail.tsx'),
  incidents: () => import('./pages/incidents.tsx'),
  intel: () => import('./pages/intel.tsx'),
  overview: () => import('./pages/overview.tsx'),
  posture: () => import('./pages/posture.tsx'),
  rules: () => import('./pages/rules.tsx'),
  settings: () => import('./pages/settings.tsx'),
  sources: () => import('./pages/sources.tsx'),
};
const HuntPage = lazy(async () => ({ default: (await loaders.hunt()).HuntPage }));
const IncidentDetailPage = lazy(async () => ({ default: (await loaders.incidentDetail()).IncidentDetailPage }));
const IncidentsPage = lazy(async () => ({ default: (await loaders.incidents()).IncidentsPage }));
const IntelPage = lazy(async () => ({ default: (await loaders.intel()).IntelPage }));
const OverviewPage = lazy(async () => ({ default: (await loaders.overview()).OverviewPage }));
const PosturePage = lazy(async () => ({ default: (await loaders.posture()).PosturePage }));
const RulesPage = lazy(async () => ({ default: (await loaders.rules()).RulesPage }));
const SettingsPage = lazy(async () => ({ default: (await loaders.settings()).SettingsPage }));
const SourcesPage = lazy(async () => ({ default: (await loaders.sources()).SourcesPage }));

/** Starts loading the opened page's chunk while the session is checked, not after. */
export function preloadPage(pathname: string): void {
  const [, first, second] = pathname.split('/');
  const name = first === 'incidents' && second ? 'incidentDetail' : first && first in loaders ? first : 'overview';
  void loaders[name as keyof typeof loaders]().catch(() => undefined);
}

function Shell({ themeName, setThemeName }: { themeName: ThemeName; setThemeName: (name: ThemeName) => void }) {
  const { t, i18n } = useTranslation();
  const { user, signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const items = [
    { key: '/overview', icon: <DashboardOutlined />, label: t('nav.overview') },
    { key: '/incidents', icon: <AlertOutlined />, label: t('nav.incidents') },
    { key: '/hunt', icon: <SearchOutlined />, label: t('nav.hunt') },
    { key: '/rules', icon: <SafetyCertificateOutlined />, label: t('nav.rules') },
    { key: '/intel', icon: <AimOutlined />, label: t('nav.intel') },
    { key: '/posture', icon: <GlobalOutlined />, label: t('nav.posture') },
    { key: '/sources', icon: <DatabaseOutlined />, label: t('nav.sources') },
    { key: '/settings', icon: <SettingOutlined />, label: t('nav.settings') },
  ];
  const selected = items.find((item) => location.pathname.startsWith(item.key))?.key ?? '/overview';
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={64} theme={themeName}>
        <div style={{ padding: '18px 20px', display: 'flex', alignItems: 'center', gap: 10 }}>
          <ThunderboltOutlined style={{ fontSize: 22, color: '#1668dc' }} aria-hidden />
          <Typography.Text strong style={{ fontSize: 18 }}>
            {t('app.name')}
          </Typography.Text>
        </div>
        <Menu
          mode="inline"
          theme={themeName}
          selectedKeys={[selected]}
          items={items}
          style={{ borderInlineEnd: 'none' }}
          onClick={({ key }) => navigate(key)}
          aria-label="main navigation"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            gap: 16,
            paddingInline: 24,
            background: 'transparent',
          }}
        >
          <Space>
            <Select
              aria-label={t('common.language')}
              value={i18n.language as Language}
              style={{ width: 120 }}
              onChange={(language: Language) => void changeLanguage(language)}
              options={[
                { value: 'en', label: 'English' },
                { value: 'zh', label: '简体中文' },
              ]}
            />
            <Segmented
              aria-label={t('common.theme')}
              value={themeName}
              onChange={(value) => setThemeName(value as ThemeName)}
              options={[
                { value: 'light', label: t('common.light') },
                { value: 'dark', label: t('common.dark') },
              ]}
            />
            <Typography.Text type="secondary">{user?.username}</Typography.Text>
            <Button icon={<LogoutOutlined />} onClick={() => void signOut()}>
              {t('common.signOut')}
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: '0 24px 24px' }}>
          <Suspense fallback={<Spin style={{ display: 'block', marginTop: 80 }} />}>
            <Routes>
              <Route path="/hunt" element={<HuntPage />} />
              <Route path="/sources" element={<SourcesPage />} />
              <Route path="/overview" element={<OverviewPage />} />
              <Route path="/incidents" element={<IncidentsPage />} />
              <Route path="/incidents/:id" element={<IncidentDetailPage />} />
              <Route path="/rules" element={<RulesPage />} />
              <Route path="/intel" element={<IntelPage />} />
              <Route path="/posture" element={<PosturePage />} />
              <Route path="/settings" element={<SettingsPage />} />
              <Route path="*" element={<Navigate to="/overview" replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}

function Gate({ themeName, setThemeName }: { themeName: ThemeName; setThemeName: (name: ThemeName) => void }) {
  const { user, checking } = useSession();
  if (checking) {
    return (
      <div style={{ display: 'grid', placeItems: 'center', height: '100vh' }}>
        <Spin size="large" />
      </div>
    );
  }
  return user ? <Shell themeName={themeName} setThemeName={setThemeName} /> : <SignInPage />;
}

export function App() {
  const { i18n } = useTranslation();
  const [themeName, setThemeNameState] = useState<ThemeName>(() =>
    localStorage.getItem('vigil.theme') === 'dark' ? 'dark' : 'light',
  );
  const setThemeName = (name: ThemeName) => {
    localStorage.setItem('vigil.theme', name);
    setThemeNameState(name);
  };
  return (
    <ConfigProvider
      locale={i18n.language === 'zh' ? zhCN : enUS}
      theme={{
        algorithm: themeName === 'dark' ? theme.darkAlgorithm : theme.defaultAlgorithm,
        token: { colorPrimary: '#1668dc' },
      }}
    >
      <ThemeNameContext.Provider value={themeName}>
        <AntApp>
          <SessionProvider>
            <BrowserRouter>
              <Gate themeName={themeName} setThemeName={setThemeName} />
            </BrowserRouter>
          </SessionProvider>
        </AntApp>
      </ThemeNameContext.Provider>
    </ConfigProvider>
  );
}
